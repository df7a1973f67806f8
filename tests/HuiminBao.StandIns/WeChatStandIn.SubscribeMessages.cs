using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HuiminBao.StandIns;

/// <summary>
/// <c>POST /cgi-bin/message/subscribe/send?access_token=...</c>: checks the token (41001/40001/42001),
/// the openid (40003), the template (40037), the page (41030), and every data value against its
/// key's type (47003: missing, too long, wrong characters), then answers 43101 for applicants who did
/// not subscribe, or accepts with a msgid. Faults can be scripted per openid or for the next sends.
/// </summary>
public sealed partial class WeChatStandIn
{
    public const string SignUpResultTemplateId = "HuiminBaoStandInSignUpResultTemplate0000001";
    public static readonly IReadOnlyList<string> SignUpResultTemplateKeys = ["phrase1", "thing2", "character_string3", "thing4"];

    private readonly ConcurrentDictionary<string, IReadOnlyList<string>> _templates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _pages = new(StringComparer.Ordinal) { ["pages/signup/status"] = 0, ["pages/index/index"] = 0 };
    private readonly ConcurrentDictionary<string, byte> _unsubscribed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _invalidOpenIds = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<SendFault>> _faultsByOpenId = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<SendFault> _nextFaults = new();
    private volatile SendFault? _standingFault;
    private readonly ConcurrentQueue<AcceptedSubscribeMessage> _accepted = new();
    private long _lastMsgId = 2_876_543_210_000_000_000;
    private int _sendRequests;

    /// <summary>Every send request that reached the stand-in, whatever it was answered.</summary>
    public int SendRequests => Volatile.Read(ref _sendRequests);

    public IReadOnlyCollection<AcceptedSubscribeMessage> Accepted => _accepted;

    public IReadOnlyList<AcceptedSubscribeMessage> AcceptedFor(string openId) => [.. _accepted.Where(m => m.ToUser == openId)];

    /// <summary>A template as created in the WeChat console, with its data keys.</summary>
    public void AddTemplate(string templateId, IEnumerable<string> keys) => _templates[templateId] = [.. keys];

    public void AddPage(string path) => _pages[path] = 0;

    /// <summary>This applicant did not subscribe (or used up the subscription): sends to them get 43101.</summary>
    public void Unsubscribe(string openId) => _unsubscribed[openId] = 0;

    /// <summary>This openid is not a user of the app: sends to them get 40003.</summary>
    public void RejectOpenId(string openId) => _invalidOpenIds[openId] = 0;

    public void FailSendsTo(string openId, params SendFault[] faults)
    {
        var queue = _faultsByOpenId.GetOrAdd(openId, _ => new ConcurrentQueue<SendFault>());
        foreach (var fault in faults)
            queue.Enqueue(fault);
    }

    public void FailSendsTo(string openId, params int[] errorCodes) => FailSendsTo(openId, [.. errorCodes.Select(SendFault.Answer)]);

    public void FailNextSends(params SendFault[] faults)
    {
        foreach (var fault in faults)
            _nextFaults.Enqueue(fault);
    }

    public void FailNextSends(params int[] errorCodes) => FailNextSends([.. errorCodes.Select(SendFault.Answer)]);

    /// <summary>Every send meets <paramref name="fault"/> (after any scripted per-openid or next-send faults) until <see cref="RecoverSends"/>: an outage of a while rather than of a count.</summary>
    public void FailAllSends(SendFault fault) => _standingFault = fault;

    public void RecoverSends() => _standingFault = null;

    private void MapSubscribeMessages(IEndpointRouteBuilder routes) =>
        routes.MapPost("/cgi-bin/message/subscribe/send", async (HttpRequest request) => await SendAsync(request));

    private async Task<IResult> SendAsync(HttpRequest request)
    {
        Interlocked.Increment(ref _sendRequests);
        var (tokenCode, tokenMessage) = CheckToken(request.Query["access_token"]);
        if (tokenCode != 0)
            return Json(Error(tokenCode, tokenMessage));
        JsonElement body;
        try
        {
            body = (await JsonDocument.ParseAsync(request.Body)).RootElement;
        }
        catch (JsonException)
        {
            return Json(Error(47001, "data format error"));
        }

        var toUser = Text(body, "touser") ?? "";
        var fault = _faultsByOpenId.TryGetValue(toUser, out var mine) && mine.TryDequeue(out var own) ? own
            : _nextFaults.TryDequeue(out var next) ? next
            : _standingFault;
        if (fault?.HttpStatus is { } status)
            return Results.Text("<html><body>Service Unavailable</body></html>", "text/html", statusCode: status);
        if (fault?.Hang is { } hang)
            await Task.Delay(hang, request.HttpContext.RequestAborted);
        if (fault?.ErrorCode is { } scripted)
            return Json(Error(scripted, ScriptedMessage(scripted)));

        var refusal = Check(body, toUser);
        if (refusal is not null)
            return Json(refusal);
        if (_unsubscribed.ContainsKey(toUser))
            return Json(Error(43101, "user refuse to accept the msg"));

        var data = body.GetProperty("data").EnumerateObject().ToDictionary(p => p.Name, p => Text(p.Value, "value")!, StringComparer.Ordinal);
        var msgId = Interlocked.Increment(ref _lastMsgId);
        _accepted.Enqueue(new AcceptedSubscribeMessage(msgId, toUser, Text(body, "template_id")!, Text(body, "page"), Text(body, "miniprogram_state"), Text(body, "lang"), data));
        return Json($$"""{"errcode":0,"errmsg":"ok","msgid":{{msgId.ToString(CultureInfo.InvariantCulture)}}}""");
    }

    private string? Check(JsonElement body, string toUser)
    {
        if (toUser.Length == 0 || _invalidOpenIds.ContainsKey(toUser))
            return Error(40003, "invalid openid");
        if (Text(body, "template_id") is not { } templateId || !_templates.TryGetValue(templateId, out var keys))
            return Error(40037, "invalid template_id");
        if (Text(body, "page") is { Length: > 0 } page && !_pages.ContainsKey(page.Split('?')[0]))
            return Error(41030, "invalid page");
        if (Text(body, "miniprogram_state") is { } state && state is not ("formal" or "trial" or "developer"))
            return Error(47003, "argument invalid! miniprogram_state invalid");
        if (Text(body, "lang") is { } lang && lang is not ("zh_CN" or "en_US" or "zh_HK" or "zh_TW"))
            return Error(47003, "argument invalid! lang invalid");
        if (!body.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
            return Error(47003, "argument invalid! data is empty");
        foreach (var key in keys)
        {
            var value = data.TryGetProperty(key, out var field) ? Text(field, "value") : null;
            if (string.IsNullOrEmpty(value))
                return Error(47003, $"argument invalid! data.{key}.value is empty");
            if (!SubscribeValueRules.Fits(key, value))
                return Error(47003, $"argument invalid! data.{key}.value invalid");
        }
        foreach (var field in data.EnumerateObject())
        {
            if (!keys.Contains(field.Name))
                return Error(47003, $"argument invalid! data.{field.Name} not in template");
        }
        return null;
    }

    private static string ScriptedMessage(int code) => code switch
    {
        -1 => "system error",
        43101 => "user refuse to accept the msg",
        45009 => "reach max api daily quota limit",
        40003 => "invalid openid",
        40037 => "invalid template_id",
        41030 => "invalid page",
        47003 => "argument invalid!",
        _ => "scripted error",
    };
}
