using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HuiminBao.StandIns;

/// <summary>
/// The WeCom group robot: <c>POST /cgi-bin/webhook/send?key=…</c> with WeCom's JSON in and out
/// (HTTP 200 and <c>errcode</c>/<c>errmsg</c>, errors included). It enforces the robot's limits:
/// 20 messages in any 60 seconds (45009 "api freq out of limit"), markdown content of at most 4096
/// bytes (40058), a known key (93000 "invalid webhook url"). Accepted messages are recorded for
/// assertions. Its clock is a <see cref="TimeProvider"/>, so a test that moves the app's clock
/// moves the robot's rate window with it.
/// </summary>
public sealed class WeComStandIn(string key, TimeProvider? time = null)
{
    public const int MessagesPerMinute = 20;
    public const int MaxContentBytes = 4096;

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _lock = new();
    private readonly List<WeComReceived> _messages = [];
    private readonly List<DateTimeOffset> _accepted = [];
    private readonly ConcurrentQueue<int> _scripted = new();
    private readonly ConcurrentQueue<int> _errors = new();

    public string Key { get; } = key;

    /// <summary>Messages the robot accepted (errcode 0), in order.</summary>
    public IReadOnlyList<WeComReceived> Messages
    {
        get
        {
            lock (_lock)
                return [.. _messages];
        }
    }

    /// <summary>Every non-zero errcode answered, in order.</summary>
    public IReadOnlyCollection<int> Errors => _errors;

    /// <summary>The webhook URL for this robot on <paramref name="baseAddress"/>.</summary>
    public string WebhookUrl(Uri baseAddress) => new Uri(baseAddress, "cgi-bin/webhook/send?key=" + Uri.EscapeDataString(Key)).ToString();

    /// <summary>The next sends answer these errcodes, in order (130101 "send too fast", -1 "system busy", …).</summary>
    public void FailNext(params int[] errorCodes)
    {
        foreach (var code in errorCodes)
            _scripted.Enqueue(code);
    }

    public void Map(IEndpointRouteBuilder routes) =>
        routes.MapPost("/cgi-bin/webhook/send", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            return Answer(request.Query["key"].ToString(), await reader.ReadToEndAsync());
        });

    private IResult Answer(string key, string body)
    {
        if (key != Key)
            return Error(93000, "invalid webhook url, hint: [standin], more info at https://open.work.weixin.qq.com/devtool/query?e=93000");
        string? msgType, content;
        try
        {
            using var json = JsonDocument.Parse(body);
            msgType = json.RootElement.TryGetProperty("msgtype", out var type) ? type.GetString() : null;
            content = msgType == "markdown" && json.RootElement.TryGetProperty("markdown", out var markdown) && markdown.TryGetProperty("content", out var text) ? text.GetString() : null;
        }
        catch (JsonException)
        {
            return Error(40035, "invalid parameter, hint: [standin] not a json body");
        }
        if (msgType is null)
            return Error(40008, "invalid message type, hint: [standin]");
        if (content is null)
            return Error(41009, "missing content, hint: [standin]");
        if (Encoding.UTF8.GetByteCount(content) > MaxContentBytes)
            return Error(40058, "markdown.content exceed max length 4096. invalid Request Parameter, hint: [standin]");
        if (_scripted.TryDequeue(out var scripted))
            return Error(scripted, scripted switch { 130101 => "send too fast", -1 => "system busy", 45009 => "api freq out of limit", _ => "scripted error" });

        var now = _time.GetUtcNow();
        lock (_lock)
        {
            _accepted.RemoveAll(t => t <= now - TimeSpan.FromMinutes(1));
            if (_accepted.Count >= MessagesPerMinute)
                return Error(45009, "api freq out of limit, hint: [standin]");
            _accepted.Add(now);
            _messages.Add(new WeComReceived(now, msgType, content));
        }
        return Results.Text("""{"errcode":0,"errmsg":"ok"}""", "application/json", Encoding.UTF8);
    }

    private IResult Error(int code, string message)
    {
        _errors.Enqueue(code);
        return Results.Text(JsonSerializer.Serialize(new Dictionary<string, object> { ["errcode"] = code, ["errmsg"] = message }), "application/json", Encoding.UTF8);
    }
}

public sealed record WeComReceived(DateTimeOffset At, string MsgType, string Content);
