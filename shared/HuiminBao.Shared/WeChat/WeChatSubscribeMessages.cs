using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using Polly;

namespace HuiminBao.WeChat;

/// <summary>
/// <c>POST /cgi-bin/message/subscribe/send</c>. Busy answers (-1), 5xx and timeouts are retried here
/// with jittered backoff; when those run out the exception reaches the caller, whose queue delivers the
/// message again later. Every other errcode is returned, not thrown, because what it means (skip, fail,
/// refresh the token, wait for quota) is the caller's decision.
/// </summary>
public sealed class WeChatSubscribeMessages(HttpClient http, IOptions<WeChatOptions> options)
{
    private readonly ResiliencePipeline _pipeline = WeChatRetries.Pipeline(options.Value.Timeout, maxRetries: 3);

    public async Task<SubscribeSendResult> SendAsync(string accessToken, SubscribeMessage message, CancellationToken cancellationToken)
    {
        // The token travels in the query string, as WeChat requires; HttpClient's logging redacts query strings.
        var uri = $"{options.Value.BaseUrl.TrimEnd('/')}/cgi-bin/message/subscribe/send?access_token={Uri.EscapeDataString(accessToken)}";
        return await _pipeline.ExecuteAsync(async token =>
        {
            using var response = await http.PostAsJsonAsync(uri, message, WeChatApiJson.Wire.SubscribeMessage, token);
            response.EnsureSuccessStatusCode();
            var answer = await response.Content.ReadFromJsonAsync(WeChatApiJson.Wire.SubscribeSendAnswer, token)
                ?? throw new WeChatException(WeChatErrors.SystemBusy, "empty answer");
            if (answer.ErrCode == WeChatErrors.SystemBusy)
                throw new WeChatException(answer.ErrCode, answer.ErrMsg);
            return new SubscribeSendResult(answer.ErrCode, answer.ErrMsg, answer.MsgId);
        }, cancellationToken);
    }
}
