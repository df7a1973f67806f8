using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HuiminBao.StandIns;

/// <summary>
/// <c>POST /cgi-bin/stable_token</c> as WeChat documents it: in normal mode the same token comes back
/// while it is valid (with its remaining <c>expires_in</c>), and a new one in its last five minutes
/// while the old one stays valid to its end; force mode invalidates every earlier token and is rationed
/// per day (45009 beyond that).
/// </summary>
public sealed partial class WeChatStandIn
{
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromSeconds(7200);
    public const int ForceRefreshesPerDay = 20;
    private static readonly TimeSpan EarlyRenewal = TimeSpan.FromMinutes(5);

    private readonly Lock _tokenLock = new();
    private readonly Dictionary<string, IssuedToken> _tokens = new(StringComparer.Ordinal);
    private readonly Queue<int> _scriptedTokenErrors = new();
    private IssuedToken? _currentToken;
    private int _forcedToday;
    private DateOnly _forceDay;
    private int _tokenRequests;
    private int _forcedTokenRequests;

    /// <summary>Every <c>stable_token</c> call, answered or refused.</summary>
    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    public int ForcedTokenRequests => Volatile.Read(ref _forcedTokenRequests);

    public string? CurrentToken
    {
        get
        {
            lock (_tokenLock)
                return _currentToken?.Value;
        }
    }

    /// <summary>The current token stops working (40001), as when someone else force-refreshed or WeChat reset it.</summary>
    public void InvalidateCurrentToken()
    {
        lock (_tokenLock)
        {
            if (_currentToken is not null)
                _currentToken.Revoked = true;
        }
    }

    /// <summary>The current token's lifetime ends now (42001 from then on).</summary>
    public void ExpireCurrentToken()
    {
        lock (_tokenLock)
        {
            if (_currentToken is not null)
                _currentToken.ExpiresAt = Time.GetUtcNow();
        }
    }

    /// <summary>The next token requests answer these errcodes, in order, before answering normally again.</summary>
    public void FailNextTokenRequests(params int[] errorCodes)
    {
        lock (_tokenLock)
        {
            foreach (var code in errorCodes)
                _scriptedTokenErrors.Enqueue(code);
        }
    }

    private void MapTokens(IEndpointRouteBuilder routes) =>
        routes.MapPost("/cgi-bin/stable_token", async (HttpRequest request) => Json(await StableTokenAsync(request)));

    private async Task<string> StableTokenAsync(HttpRequest request)
    {
        Interlocked.Increment(ref _tokenRequests);
        JsonElement body;
        try
        {
            body = (await JsonDocument.ParseAsync(request.Body)).RootElement;
        }
        catch (JsonException)
        {
            return Error(47001, "data format error");
        }
        if (Text(body, "grant_type") != "client_credential")
            return Error(40002, "invalid grant_type");
        if (Text(body, "appid") != AppId)
            return Error(40013, "invalid appid");
        if (Text(body, "secret") != AppSecret)
            return Error(40125, "invalid appsecret");
        var force = body.TryGetProperty("force_refresh", out var flag) && flag.ValueKind == JsonValueKind.True;

        lock (_tokenLock)
        {
            if (_scriptedTokenErrors.TryDequeue(out var scripted))
                return Error(scripted, scripted == -1 ? "system error" : "scripted error");
            var now = Time.GetUtcNow();
            if (force)
            {
                var today = DateOnly.FromDateTime(now.ToOffset(TimeSpan.FromHours(8)).DateTime);
                if (today != _forceDay)
                    (_forceDay, _forcedToday) = (today, 0);
                if (_forcedToday >= ForceRefreshesPerDay)
                    return Error(45009, "reach max api daily quota limit");
                _forcedToday++;
                Interlocked.Increment(ref _forcedTokenRequests);
                foreach (var token in _tokens.Values)
                    token.Revoked = true;
                _currentToken = Issue(now);
            }
            else if (_currentToken is null || _currentToken.Revoked || now >= _currentToken.ExpiresAt - EarlyRenewal)
            {
                _currentToken = Issue(now);
            }
            var remaining = (int)(_currentToken.ExpiresAt - now).TotalSeconds;
            return $$"""{"access_token":"{{_currentToken.Value}}","expires_in":{{remaining.ToString(CultureInfo.InvariantCulture)}}}""";
        }
    }

    private IssuedToken Issue(DateTimeOffset now)
    {
        var token = new IssuedToken(Convert.ToBase64String(RandomNumberGenerator.GetBytes(96)).Replace('+', '-').Replace('/', '_'), now + TokenLifetime);
        _tokens[token.Value] = token;
        return token;
    }

    /// <summary>0 if <paramref name="token"/> may call the API now, else WeChat's errcode for it.</summary>
    private (int Code, string Message) CheckToken(string? token)
    {
        if (string.IsNullOrEmpty(token))
            return (41001, "access_token missing");
        lock (_tokenLock)
        {
            if (!_tokens.TryGetValue(token, out var issued) || issued.Revoked)
                return (40001, "invalid credential, access_token is invalid or not latest");
            if (Time.GetUtcNow() >= issued.ExpiresAt)
                return (42001, "access_token expired");
            return (0, "ok");
        }
    }

    private static string? Text(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IResult Json(string body) => Results.Text(body, "application/json", Encoding.UTF8);

    private sealed class IssuedToken(string value, DateTimeOffset expiresAt)
    {
        public string Value { get; } = value;

        public DateTimeOffset ExpiresAt { get; set; } = expiresAt;

        public bool Revoked { get; set; }
    }
}
