using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using HuiminBao.Domain;
using Microsoft.Extensions.Options;

namespace HuiminBao.Security;

/// <summary>
/// Short-lived bearer tokens for the mini-program: <c>base64url(claims).base64url(HMAC)</c>.
/// Only the openid travels in them; WeChat's session_key never leaves <see cref="Intake.SessionExchange"/>.
/// The claims name the key that signed them (<c>kid</c>): tokens are signed with the current
/// <c>Security:SessionKey</c>, and a key moved to <c>Security:RetiredSessionKeys</c> still verifies
/// the tokens it signed until they expire, so a rotation signs nobody out. A token naming any other
/// key is refused.
/// </summary>
public sealed class SessionTokens
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(2);
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);
    private const int MaxTokenLength = 1024;

    private readonly string _currentId;
    private readonly byte[] _key;
    private readonly Dictionary<string, byte[]> _keys = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public SessionTokens(IOptions<SecurityOptions> options, TimeProvider time)
    {
        _key = SigningKey(options.Value.SessionKey);
        _currentId = KeyId(_key);
        _keys[_currentId] = _key;
        foreach (var retired in SecretKeys.SplitList(options.Value.RetiredSessionKeys))
        {
            var key = SigningKey(retired);
            _keys.TryAdd(KeyId(key), key);
        }
        _time = time;
    }

    /// <summary>The id new tokens carry: a hash prefix of the signing key, which reveals nothing of it.</summary>
    public string CurrentKeyId => _currentId;

    public IssuedToken Issue(string openId)
    {
        var now = _time.GetUtcNow();
        var expires = now + Lifetime;
        var claims = new TokenClaims(openId, now.ToUnixTimeSeconds(), expires.ToUnixTimeSeconds(), _currentId);
        var payload = JsonSerializer.SerializeToUtf8Bytes(claims, SecurityJson.Default.TokenClaims);
        var signature = HMACSHA256.HashData(_key, payload);
        return new IssuedToken($"{Base64Url.EncodeToString(payload)}.{Base64Url.EncodeToString(signature)}", expires);
    }

    /// <summary>Reads an <c>Authorization</c> header; returns the openid, or the error code to answer with.</summary>
    public TokenCheck Check(string? authorization)
    {
        if (string.IsNullOrWhiteSpace(authorization))
            return TokenCheck.Fail(ErrorCodes.TokenMissing);
        const string scheme = "Bearer ";
        if (authorization.Length > MaxTokenLength || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            return TokenCheck.Fail(ErrorCodes.TokenInvalid);

        var token = authorization.AsSpan(scheme.Length).Trim();
        var dot = token.IndexOf('.');
        if (dot <= 0 || !Base64Url.IsValid(token[..dot]) || !Base64Url.IsValid(token[(dot + 1)..]))
            return TokenCheck.Fail(ErrorCodes.TokenInvalid);

        var payload = Base64Url.DecodeFromChars(token[..dot]);
        var signature = Base64Url.DecodeFromChars(token[(dot + 1)..]);

        // The claims are read before they are trusted only to learn which key to check them with.
        TokenClaims? claims;
        try
        {
            claims = JsonSerializer.Deserialize(payload, SecurityJson.Default.TokenClaims);
        }
        catch (JsonException)
        {
            return TokenCheck.Fail(ErrorCodes.TokenInvalid);
        }
        if (claims?.Kid is not { } kid || !_keys.TryGetValue(kid, out var key))
            return TokenCheck.Fail(ErrorCodes.TokenInvalid);
        if (!CryptographicOperations.FixedTimeEquals(signature, HMACSHA256.HashData(key, payload)))
            return TokenCheck.Fail(ErrorCodes.TokenInvalid);
        if (string.IsNullOrEmpty(claims.Sub))
            return TokenCheck.Fail(ErrorCodes.TokenInvalid);

        var now = _time.GetUtcNow();
        if (DateTimeOffset.FromUnixTimeSeconds(claims.Exp) <= now)
            return TokenCheck.Fail(ErrorCodes.TokenExpired);
        if (DateTimeOffset.FromUnixTimeSeconds(claims.Iat) > now + ClockSkew)
            return TokenCheck.Fail(ErrorCodes.TokenInvalid);
        return new TokenCheck(claims.Sub, null);
    }

    private static byte[] SigningKey(string configured) => SecretKeys.Derive(SecretKeys.Decode(configured), "session-token");

    private static string KeyId(byte[] key) => Convert.ToHexStringLower(SHA256.HashData(key).AsSpan(0, 4));
}

public sealed record IssuedToken(string Token, DateTimeOffset ExpiresAt);

public sealed record TokenCheck(string? OpenId, string? ErrorCode)
{
    public static TokenCheck Fail(string code) => new(null, code);
}

internal sealed record TokenClaims(
    [property: JsonPropertyName("sub")] string Sub,
    [property: JsonPropertyName("iat")] long Iat,
    [property: JsonPropertyName("exp")] long Exp,
    [property: JsonPropertyName("kid")] string? Kid);

[JsonSerializable(typeof(TokenClaims))]
internal sealed partial class SecurityJson : JsonSerializerContext;
