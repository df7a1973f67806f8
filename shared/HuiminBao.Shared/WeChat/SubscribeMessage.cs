using System.Text.Json.Serialization;

namespace HuiminBao.WeChat;

/// <summary>The body of <c>POST /cgi-bin/message/subscribe/send</c>: one templated message to one openid.</summary>
public sealed record SubscribeMessage(
    [property: JsonPropertyName("touser")] string ToUser,
    [property: JsonPropertyName("template_id")] string TemplateId,
    [property: JsonPropertyName("page")] string? Page,
    [property: JsonPropertyName("miniprogram_state")] string? MiniProgramState,
    [property: JsonPropertyName("lang")] string? Lang,
    [property: JsonPropertyName("data")] IReadOnlyDictionary<string, SubscribeValue> Data);

/// <summary>One template field: WeChat wants <c>{"value": "..."}</c> per key.</summary>
public sealed record SubscribeValue([property: JsonPropertyName("value")] string Value);

/// <summary>WeChat's answer to a send: errcode 0 with a msgid, or the errcode it refused with.</summary>
public sealed record SubscribeSendResult(int ErrorCode, string? ErrorMessage, long? MsgId)
{
    public bool Accepted => ErrorCode == 0;

    /// <summary>The token was refused: a fresh one may succeed where this one didn't.</summary>
    public bool TokenRejected => ErrorCode is WeChatErrors.InvalidCredential or WeChatErrors.AccessTokenExpired;
}
