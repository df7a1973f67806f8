using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HuiminBao.StandIns;

/// <summary>
/// WeChat's server API as the pipeline uses it: <c>/sns/jscode2session</c>, <c>/cgi-bin/stable_token</c>
/// and <c>/cgi-bin/message/subscribe/send</c> (the latter two in their own files), answering with
/// WeChat's JSON (HTTP 200, <c>errcode</c>/<c>errmsg</c>) and its error codes.
/// A code works once. Registered codes map to the openid they were issued for; in permissive mode
/// (the local host), any other code logs in an openid derived from the part before its first dash.
/// </summary>
public sealed partial class WeChatStandIn
{
    private readonly ConcurrentDictionary<string, string> _codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _usedCodes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<int> _scriptedLoginErrors = new();
    private int _loginCalls;

    /// <param name="time">The stand-in's clock, for token lifetimes; tests share a fake one with the client.</param>
    public WeChatStandIn(string appId, string appSecret, bool permissive = false, TimeProvider? time = null)
    {
        AppId = appId;
        AppSecret = appSecret;
        Permissive = permissive;
        Time = time ?? TimeProvider.System;
        AddTemplate(SignUpResultTemplateId, SignUpResultTemplateKeys);
    }

    public TimeProvider Time { get; }

    public string AppId { get; }

    public string AppSecret { get; }

    public bool Permissive { get; }

    public int LoginCalls => Volatile.Read(ref _loginCalls);

    /// <summary>A fresh one-time login code for <paramref name="openId"/>, like <c>wx.login</c> would give.</summary>
    public string IssueCode(string openId)
    {
        var code = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        _codes[code] = openId;
        return code;
    }

    /// <summary>The next logins answer these errcodes, in order, before answering normally again.</summary>
    public void FailNextLogins(params int[] errorCodes)
    {
        foreach (var code in errorCodes)
            _scriptedLoginErrors.Enqueue(code);
    }

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/sns/jscode2session", (HttpRequest request) => Results.Text(Login(request), "text/plain", Encoding.UTF8));
        MapTokens(routes);
        MapSubscribeMessages(routes);
    }

    private string Login(HttpRequest request)
    {
        Interlocked.Increment(ref _loginCalls);
        var query = request.Query;
        if (query["appid"] != AppId || query["secret"] != AppSecret)
            return Error(40013, "invalid appid");
        if (query["grant_type"] != "authorization_code")
            return Error(40002, "invalid grant_type");
        if (_scriptedLoginErrors.TryDequeue(out var scripted))
            return Error(scripted, scripted == -1 ? "system error" : "scripted error");

        var code = query["js_code"].ToString();
        if (string.IsNullOrEmpty(code))
            return Error(41008, "missing code");
        if (!_usedCodes.TryAdd(code, 0))
            return Error(40163, "code been used");
        string? openId = _codes.TryRemove(code, out var registered) ? registered
            : Permissive ? PermissiveOpenId(code)
            : null;
        if (openId is null)
            return Error(40029, "invalid code");
        var sessionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        return $$"""{"session_key":"{{sessionKey}}","openid":"{{openId}}"}""";
    }

    /// <summary>"alice-1" and "alice-2" are two logins of the same user, as two wx.login codes would be.</summary>
    public static string PermissiveOpenId(string code) =>
        "o" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code.Split('-')[0])))[..27];

    private static string Error(int code, string message) => $$"""{"errcode":{{code}},"errmsg":"{{message}}, rid: standin"}""";
}
