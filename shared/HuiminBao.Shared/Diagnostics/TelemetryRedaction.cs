using System.Text.RegularExpressions;

namespace HuiminBao.Diagnostics;

/// <summary>
/// Takes secrets out of URLs before anything leaves the process: WeChat's <c>secret</c>,
/// <c>js_code</c> and <c>access_token</c> ride in query strings, ops keys in <c>?code=</c>, storage
/// SAS signatures in <c>sig=</c>. Parameter names stay, so a trace still says what was called.
/// </summary>
public static partial class TelemetryRedaction
{
    public const string Redacted = "REDACTED";

    private static readonly HashSet<string> SecretParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "secret", "appsecret", "js_code", "code", "access_token", "session_key", "key", "sig", "token",
    };

    /// <summary>The URL with the values of secret-bearing query parameters replaced.</summary>
    public static string Url(string url)
    {
        var question = url.IndexOf('?', StringComparison.Ordinal);
        if (question < 0)
            return url;
        var fragment = url.IndexOf('#', question);
        var query = fragment < 0 ? url[(question + 1)..] : url[(question + 1)..fragment];
        var parts = query.Split('&');
        for (var i = 0; i < parts.Length; i++)
        {
            var equals = parts[i].IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0 && SecretParameters.Contains(Uri.UnescapeDataString(parts[i][..equals])))
                parts[i] = parts[i][..equals] + "=" + Redacted;
        }
        return url[..(question + 1)] + string.Join('&', parts) + (fragment < 0 ? "" : url[fragment..]);
    }

    /// <summary>Every URL or bare query string inside free text (a log message), redacted.</summary>
    public static string Text(string text)
    {
        if (!text.Contains('?', StringComparison.Ordinal))
            return text;
        if (text.StartsWith('?'))
            return Url(text);
        return UrlInText().Replace(text, match => Url(match.Value));
    }

    [GeneratedRegex(@"(https?://|/)[^\s""'<>]*\?[^\s""'<>]+")]
    private static partial Regex UrlInText();
}
