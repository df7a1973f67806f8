using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using HuiminBao.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace HuiminBao.Http;

/// <summary>
/// The ops console's session: once a browser has shown an ops key (<c>/api/dashboard?code=</c>),
/// it gets an HttpOnly, SameSite=Strict cookie naming the key's holder for an hour, and every later
/// page, script, data and CSV request carries the cookie instead of the key. So the key is in no
/// URL after the first, nowhere a script can read it, and in no browser history but the link's.
/// </summary>
public sealed class OpsConsoleSessions(IOptions<SecurityOptions> security, TimeProvider time)
{
    public const string CookieName = "hmb_console";
    public const string CookiePath = "/api/console";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    private readonly byte[] _key = SecretKeys.Derive(SecretKeys.Decode(security.Value.SessionKey), "ops-console");

    public void Issue(HttpResponse response, OpsCaller caller, bool secure)
    {
        var expires = time.GetUtcNow() + Lifetime;
        var payload = Encoding.UTF8.GetBytes($"{expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}|{caller.Name}");
        var value = $"{Base64Url.EncodeToString(payload)}.{Base64Url.EncodeToString(HMACSHA256.HashData(_key, payload))}";
        response.Cookies.Append(CookieName, value, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = secure,
            Path = CookiePath,
            MaxAge = Lifetime,
            IsEssential = true,
        });
    }

    /// <summary>The holder of a valid, unexpired console cookie; null otherwise.</summary>
    public OpsCaller? Identify(HttpRequest request)
    {
        var value = request.Cookies[CookieName];
        if (string.IsNullOrEmpty(value) || value.Length > 512)
            return null;
        var dot = value.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !Base64Url.IsValid(value.AsSpan(0, dot)) || !Base64Url.IsValid(value.AsSpan(dot + 1)))
            return null;
        var payload = Base64Url.DecodeFromChars(value.AsSpan(0, dot));
        if (!CryptographicOperations.FixedTimeEquals(Base64Url.DecodeFromChars(value.AsSpan(dot + 1)), HMACSHA256.HashData(_key, payload)))
            return null;
        var text = Encoding.UTF8.GetString(payload);
        var bar = text.IndexOf('|', StringComparison.Ordinal);
        if (bar <= 0 || !long.TryParse(text.AsSpan(0, bar), NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
            return null;
        return DateTimeOffset.FromUnixTimeSeconds(expires) > time.GetUtcNow() ? new OpsCaller(text[(bar + 1)..]) : null;
    }
}
