using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace HuiminBao.Hosting;

/// <summary>The secret settings as configured, for <see cref="SecretReferenceValidation"/>.</summary>
public sealed class SecretReferences
{
    public Dictionary<string, string?> Values { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Refuses to start while a secret setting still reads <c>@Microsoft.KeyVault(...)</c>: App Service
/// hands a Key Vault reference it could not resolve (secret missing, no access) to the app as that
/// literal text, which would otherwise pass for a key, a key list or a URL.
/// </summary>
public sealed class SecretReferenceValidation : IValidateOptions<SecretReferences>
{
    private const string UnresolvedPrefix = "@Microsoft.KeyVault(";

    public static void Read(SecretReferences references, IConfiguration configuration)
    {
        foreach (var name in AppSettings.Secrets)
            references.Values[name] = configuration[name];
    }

    public ValidateOptionsResult Validate(string? name, SecretReferences options)
    {
        var unresolved = options.Values.Where(v => v.Value?.TrimStart().StartsWith(UnresolvedPrefix, StringComparison.OrdinalIgnoreCase) == true).Select(v => v.Key).ToList();
        return unresolved.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Key Vault references not resolved for {string.Join(", ", unresolved)}: check that each secret exists and the app's identity may read it.");
    }
}
