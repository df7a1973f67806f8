using System.Text.Json.Serialization;

namespace HuiminBao.WeCom;

/// <summary>The robot's request body: <c>{"msgtype":"markdown","markdown":{"content":"…"}}</c>.</summary>
public sealed record WeComMessage(
    [property: JsonPropertyName("msgtype")] string MsgType,
    [property: JsonPropertyName("markdown")] WeComMarkdownBody Markdown);

public sealed record WeComMarkdownBody([property: JsonPropertyName("content")] string Content);

/// <summary>The robot's answer: <c>{"errcode":0,"errmsg":"ok"}</c>.</summary>
public sealed record WeComAnswer(
    [property: JsonPropertyName("errcode")] int ErrCode,
    [property: JsonPropertyName("errmsg")] string? ErrMsg);

[JsonSerializable(typeof(WeComMessage))]
[JsonSerializable(typeof(WeComAnswer))]
internal sealed partial class WeComJson : JsonSerializerContext;
