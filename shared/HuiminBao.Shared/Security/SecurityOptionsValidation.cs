using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HuiminBao.Security;

/// <summary>Refuses to start with malformed keys, or with the published development keys outside Development.</summary>
public sealed class SecurityOptionsValidation(IHostEnvironment environment) : IValidateOptions<SecurityOptions>
{
    public ValidateOptionsResult Validate(string? name, SecurityOptions options)
    {
        var failures = new List<string>();
        Check(nameof(options.IdHashKey), options.IdHashKey, exactLength: null, failures);
        Check(nameof(options.DataKey), options.DataKey, exactLength: 32, failures);
        Check(nameof(options.SessionKey), options.SessionKey, exactLength: null, failures);
        foreach (var retired in SecretKeys.SplitList(options.RetiredDataKeys))
            Check(nameof(options.RetiredDataKeys), retired, exactLength: 32, failures);
        foreach (var retired in SecretKeys.SplitList(options.RetiredSessionKeys))
            Check(nameof(options.RetiredSessionKeys), retired, exactLength: null, failures);

        if (!environment.IsDevelopment())
        {
            foreach (var value in new[] { options.IdHashKey, options.DataKey, options.SessionKey })
            {
                if (DevelopmentKeyCheck.IsDevelopmentKey(value))
                    failures.Add($"Security keys: the published development keys are refused in the {environment.EnvironmentName} environment; set real keys (Key Vault).");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures.Distinct());
    }

    private static void Check(string setting, string value, int? exactLength, List<string> failures)
    {
        if (!SecretKeys.TryDecode(value, out var bytes))
            failures.Add($"Security:{setting} must be base64.");
        else if (exactLength is { } length && bytes.Length != length)
            failures.Add($"Security:{setting} must decode to {length} bytes (AES-256).");
        else if (bytes.Length < 32)
            failures.Add($"Security:{setting} must decode to at least 32 bytes.");
    }
}
