using System.Security.Cryptography;
using System.Text;
using HuiminBao.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace HuiminBao.Http;

/// <summary>The ops person or tool a request came from: the name of the key it presented.</summary>
public sealed record OpsCaller(string Name);

/// <summary>
/// Who is calling an ops route. Callers send a key in <c>x-functions-key</c> (or <c>?code=</c>, which
/// Azure also accepts); <c>Ops:Keys</c> lists the accepted keys as comma-separated <c>name:key</c>
/// pairs, so every ops action is attributable to a person. A bare key is accepted as <c>ops</c>. In
/// Azure the Functions host checks the same key as a function key before the worker sees the request.
/// </summary>
public sealed class OpsKeys(IConfiguration configuration)
{
    public const string Header = "x-functions-key";
    public const string Setting = "Ops:Keys";
    private const string UnnamedCaller = "ops";

    public OpsCaller? Identify(HttpRequest request)
    {
        var presented = request.Headers[Header].ToString();
        if (string.IsNullOrEmpty(presented))
            presented = request.Query["code"].ToString();
        return Identify(presented);
    }

    /// <summary>Compares against every configured key in constant time, so timing tells nothing about which nearly matched.</summary>
    public OpsCaller? Identify(string presented)
    {
        if (string.IsNullOrEmpty(presented))
            return null;
        var candidate = Encoding.UTF8.GetBytes(presented);
        OpsCaller? caller = null;
        foreach (var (name, key) in Parse(configuration[Setting]))
        {
            if (CryptographicOperations.FixedTimeEquals(candidate, Encoding.UTF8.GetBytes(key)))
                caller ??= new OpsCaller(name);
        }
        return caller;
    }

    public static IEnumerable<(string Name, string Key)> Parse(string? setting)
    {
        foreach (var entry in SecretKeys.SplitList(setting))
        {
            var colon = entry.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && colon < entry.Length - 1 && entry.AsSpan(0, colon).ContainsAnyExcept(NameCharacters) is false)
                yield return (entry[..colon], entry[(colon + 1)..]);
            else
                yield return (UnnamedCaller, entry);
        }
    }

    private static readonly System.Buffers.SearchValues<char> NameCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.@");
}
