using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HuiminBao.WeChat;

/// <summary>
/// Wire shapes of <c>stable_token</c> and <c>subscribeMessage.send</c>. Chinese text is written as
/// UTF-8 rather than <c>\u</c> escapes: it is a server-to-server JSON body, never HTML.
/// </summary>
[JsonSerializable(typeof(StableTokenRequest))]
[JsonSerializable(typeof(StableTokenAnswer))]
[JsonSerializable(typeof(SubscribeMessage))]
[JsonSerializable(typeof(SubscribeSendAnswer))]
internal sealed partial class WeChatApiJson : JsonSerializerContext
{
    public static WeChatApiJson Wire { get; } = new(new JsonSerializerOptions
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    });
}

internal sealed record StableTokenRequest(
    [property: JsonPropertyName("grant_type")] string GrantType,
    [property: JsonPropertyName("appid")] string AppId,
    [property: JsonPropertyName("secret")] string Secret,
    [property: JsonPropertyName("force_refresh")] bool ForceRefresh);

internal sealed record StableTokenAnswer(
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("errcode")] int ErrCode,
    [property: JsonPropertyName("errmsg")] string? ErrMsg);

internal sealed record SubscribeSendAnswer(
    [property: JsonPropertyName("errcode")] int ErrCode,
    [property: JsonPropertyName("errmsg")] string? ErrMsg,
    [property: JsonPropertyName("msgid")] long? MsgId);
