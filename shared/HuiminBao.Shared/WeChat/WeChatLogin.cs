using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Polly;

namespace HuiminBao.WeChat;

/// <summary>
/// <c>GET /sns/jscode2session</c>: turns a <c>wx.login</c> code into an openid. The session_key WeChat
/// also returns is dropped here: nothing downstream needs it, so it is never stored or logged.
/// </summary>
public sealed class WeChatLogin(HttpClient http, IOptions<WeChatOptions> options)
{
    private readonly ResiliencePipeline _pipeline = WeChatRetries.Pipeline(options.Value.Timeout, maxRetries: 2);

    /// <summary>Returns the openid, or throws <see cref="WeChatException"/> / <see cref="HttpRequestException"/>.</summary>
    public async Task<string> OpenIdAsync(string code, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var uri = $"{settings.BaseUrl.TrimEnd('/')}/sns/jscode2session?appid={Uri.EscapeDataString(settings.AppId)}&secret={Uri.EscapeDataString(settings.AppSecret)}&js_code={Uri.EscapeDataString(code)}&grant_type=authorization_code";
        return await _pipeline.ExecuteAsync(async token =>
        {
            using var response = await http.GetAsync(uri, token);
            response.EnsureSuccessStatusCode();
            // WeChat labels this JSON text/plain, so the content type is not checked.
            var answer = await response.Content.ReadFromJsonAsync(WeChatJson.Default.Code2SessionAnswer, token)
                ?? throw new WeChatException(WeChatErrors.SystemBusy, "empty answer");
            if (answer.ErrCode != 0 || string.IsNullOrEmpty(answer.OpenId))
                throw new WeChatException(answer.ErrCode == 0 ? WeChatErrors.SystemBusy : answer.ErrCode, answer.ErrMsg);
            return answer.OpenId;
        }, cancellationToken);
    }
}

internal sealed record Code2SessionAnswer(
    [property: JsonPropertyName("openid")] string? OpenId,
    [property: JsonPropertyName("errcode")] int ErrCode,
    [property: JsonPropertyName("errmsg")] string? ErrMsg);
