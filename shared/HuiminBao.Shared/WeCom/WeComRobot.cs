using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure;
using HuiminBao.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HuiminBao.WeCom;

/// <summary>
/// The WeCom group robot: <c>POST {WeCom:WebhookUrl}</c> with a markdown message. Every send first
/// takes a slot from the shared <see cref="WeComRateGate"/>; the robot's own rate-limit answers
/// (45009, 130101), "system busy" and transport failures come back as "retry later", a bad webhook
/// or message as "rejected".
/// </summary>
public sealed partial class WeComRobot(IHttpClientFactory clients, WeComRateGate gate, IOptions<WeComOptions> options, ILogger<WeComRobot> logger) : IOpsRobot
{
    public const string HttpClientName = "wecom";
    private static readonly TimeSpan TransientRetry = TimeSpan.FromSeconds(10);

    public async Task<RobotDelivery> SendMarkdownAsync(string markdown, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        TimeSpan wait;
        try
        {
            wait = await gate.TryAcquireAsync(cancellationToken);
        }
        catch (RequestFailedException e)
        {
            // Without the shared budget, the robot's own 45009 answer still stops a flood.
            LogGateUnavailable(logger, e.Status);
            wait = TimeSpan.Zero;
        }
        if (wait > TimeSpan.Zero)
        {
            LogDeferred(logger, wait.TotalSeconds);
            return RobotDelivery.Later(wait, WeComErrors.FrequencyLimit, "client-side limit");
        }

        var client = clients.CreateClient(HttpClientName);
        client.Timeout = settings.Timeout;
        var body = new WeComMessage("markdown", new WeComMarkdownBody(WeComMarkdown.Fit(markdown)));
        try
        {
            using var response = await client.PostAsJsonAsync(settings.WebhookUrl, body, WeComJson.Default.WeComMessage, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                LogHttpFailure(logger, (int)response.StatusCode);
                return (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests
                    ? RobotDelivery.Later(TransientRetry, (int)response.StatusCode, "http")
                    : RobotDelivery.Rejected((int)response.StatusCode, "http");
            }
            var answer = await response.Content.ReadFromJsonAsync(WeComJson.Default.WeComAnswer, cancellationToken)
                ?? new WeComAnswer(WeComErrors.SystemBusy, "empty answer");
            var delivery = answer.ErrCode switch
            {
                WeComErrors.Ok => RobotDelivery.Sent,
                _ when WeComErrors.IsRateLimit(answer.ErrCode) => RobotDelivery.Later(WeComRateGate.Window, answer.ErrCode, answer.ErrMsg),
                WeComErrors.SystemBusy => RobotDelivery.Later(TransientRetry, answer.ErrCode, answer.ErrMsg),
                _ => RobotDelivery.Rejected(answer.ErrCode, answer.ErrMsg),
            };
            if (delivery.Status != RobotDeliveryStatus.Sent)
                LogNotSent(logger, answer.ErrCode, answer.ErrMsg ?? "", delivery.Status);
            return delivery;
        }
        catch (Exception e) when (e is HttpRequestException or JsonException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // A timeout may hide a message the robot did take. Retrying risks a rare duplicate; not retrying risks losing a report or alert, which is worse.
            LogTransportFailure(logger, e.GetType().Name);
            return RobotDelivery.Later(TransientRetry, 0, e.GetType().Name);
        }
    }

    [LoggerMessage(EventId = LogEvents.WeCom + 11, Level = LogLevel.Warning, Message = "WeCom robot did not take the message: errcode {ErrCode} ({ErrMsg}), {Status}")]
    private static partial void LogNotSent(ILogger logger, int errCode, string errMsg, RobotDeliveryStatus status);

    [LoggerMessage(EventId = LogEvents.WeCom + 12, Level = LogLevel.Warning, Message = "WeCom robot answered HTTP {Status}")]
    private static partial void LogHttpFailure(ILogger logger, int status);

    [LoggerMessage(EventId = LogEvents.WeCom + 13, Level = LogLevel.Warning, Message = "WeCom robot unreachable ({Failure}); will retry")]
    private static partial void LogTransportFailure(ILogger logger, string failure);

    [LoggerMessage(EventId = LogEvents.WeCom + 14, Level = LogLevel.Information, Message = "WeCom robot budget of this minute used up; next slot in {Seconds:0.#} s")]
    private static partial void LogDeferred(ILogger logger, double seconds);

    [LoggerMessage(EventId = LogEvents.WeCom + 15, Level = LogLevel.Warning, Message = "WeCom rate gate unavailable (storage {Status}); sending without it")]
    private static partial void LogGateUnavailable(ILogger logger, int status);
}
