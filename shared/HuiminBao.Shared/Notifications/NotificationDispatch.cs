using Azure;
using HuiminBao.Alerts;
using HuiminBao.Diagnostics;
using HuiminBao.Queues;
using HuiminBao.SignUps;
using HuiminBao.Storage;
using HuiminBao.WeChat;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace HuiminBao.Notifications;

/// <summary>
/// The <c>notifications</c> stage: sends the applicant's WeChat subscribe message, at most once per
/// sign-up, and records how it went beside the sign-up (<see cref="NotificationLedger"/>).
/// <list type="bullet">
/// <item>Busy (-1), 5xx and timeouts are retried by the client; when those run out the claim is released
/// and the exception reaches the host, so the queue delivers the message again and then poisons it.</item>
/// <item>40001/42001: one token refresh (<see cref="WeChatAccessTokens"/>) and one more send.</item>
/// <item>43101: the applicant did not subscribe: skipped, final, never retried.</item>
/// <item>40003, 40037, 47003, 41030: configuration or data errors: failed, final, and ops are alerted.</item>
/// <item>45009: the daily quota is spent. Throwing would only be retried <c>maxDequeueCount</c> times within
/// a minute, long before the quota resets, so the claim is released and a copy of the message is queued
/// to become visible after <see cref="NotificationOptions.QuotaRetryDelay"/>; the original completes.</item>
/// </list>
/// The notifications sharing a message are sent side by side and independently; if any fails, the
/// message fails once the others are done, and on its return the settled ones are recognised by the ledger.
/// </summary>
public sealed partial class NotificationDispatch(
    NotificationContent content,
    NotificationLedger ledger,
    WeChatAccessTokens tokens,
    WeChatSubscribeMessages messages,
    StorageAccount storage,
    IOpsAlerts alerts,
    PipelineMetrics metrics,
    ProcessingGate gate,
    IOptions<NotificationOptions> options,
    ILogger<NotificationDispatch> logger) : IQueueHandler<NotificationBatch>
{
    public Task HandleAsync(NotificationBatch message, QueueDelivery delivery, CancellationToken cancellationToken) =>
        SharedMessage.HandleEachAsync(gate, QueueNames.Notifications, message.Notifications, n => n.SignUpId, notification => DispatchAsync(notification, delivery, cancellationToken),
            (failed, count) => LogPartlyFailed(logger, failed, count, delivery.MessageId, delivery.DequeueCount), cancellationToken);

    public async Task DispatchAsync(NotificationQueued message, QueueDelivery delivery, CancellationToken cancellationToken)
    {
        var subscribe = content.Compose(message);
        // Before the claim: without a token nothing is claimed, and the window between claim and send stays short.
        var token = await TokenAsync(message.SignUpId, cancellationToken);
        var claim = await ledger.ClaimAsync(message.SignUpId, delivery, cancellationToken);
        switch (claim.Outcome)
        {
            case ClaimOutcome.Settled:
                LogAlreadySettled(logger, message.SignUpId, claim.Record.State, delivery.MessageId);
                return;
            case ClaimOutcome.HeldElsewhere:
                LogHeldElsewhere(logger, message.SignUpId, delivery.MessageId);
                return;
            case ClaimOutcome.Abandoned:
                LogUnconfirmed(logger, message.SignUpId, delivery.MessageId, delivery.DequeueCount);
                return;
        }

        SubscribeSendResult answer;
        try
        {
            answer = await messages.SendAsync(token, subscribe, cancellationToken);
            if (answer.TokenRejected)
            {
                LogTokenRejected(logger, message.SignUpId, answer.ErrorCode);
                token = await tokens.RefreshAsync(token, answer.ErrorCode, cancellationToken);
                answer = await messages.SendAsync(token, subscribe, cancellationToken);
            }
        }
        catch (Exception e) when (KnownNotAccepted(e))
        {
            await ReleaseAfterAsync(claim.Record, e, message.SignUpId);
            throw;
        }
        await SettleAsync(message, claim.Record, answer, cancellationToken);
    }

    private async Task SettleAsync(NotificationQueued message, NotificationRecord claim, SubscribeSendResult answer, CancellationToken cancellationToken)
    {
        switch (answer.ErrorCode)
        {
            case 0:
                await ledger.SettleAsync(claim, NotificationStates.Sent, null, null, answer.MsgId, cancellationToken);
                LogSent(logger, message.SignUpId, answer.MsgId, claim.Attempts);
                return;
            case WeChatErrors.UserRefused:
                await ledger.SettleAsync(claim, NotificationStates.Skipped, answer.ErrorCode, "not subscribed", null, cancellationToken);
                LogSkipped(logger, message.SignUpId);
                return;
            case WeChatErrors.InvalidOpenId or WeChatErrors.InvalidTemplateId or WeChatErrors.TemplateParameterInvalid or WeChatErrors.InvalidPage:
                await ledger.SettleAsync(claim, NotificationStates.Failed, answer.ErrorCode, NotificationAlerts.Reason(answer.ErrorCode), null, cancellationToken);
                LogFailed(logger, message.SignUpId, answer.ErrorCode);
                metrics.NotificationFailed();
                await alerts.RaiseAsync(NotificationAlerts.Refused(message.SignUpId, answer.ErrorCode), cancellationToken);
                return;
            case WeChatErrors.QuotaReached:
                await DeferForQuotaAsync(message, claim, cancellationToken);
                return;
            default:
                // Still refused after a refresh, a frequency limit, or a code this stage doesn't know: not
                // delivered, so let the queue try again and, if it keeps failing, poison it (ops hear of it there).
                await ledger.ReleaseAsync(claim, answer.ErrorCode, $"errcode {answer.ErrorCode}", cancellationToken);
                LogRefusedForNow(logger, message.SignUpId, answer.ErrorCode);
                metrics.NotificationFailed();
                throw new WeChatException(answer.ErrorCode, answer.ErrorMessage);
        }
    }

    private async Task DeferForQuotaAsync(NotificationQueued message, NotificationRecord claim, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (claim.QuotaDeferrals >= settings.MaxQuotaDeferrals)
        {
            await ledger.SettleAsync(claim, NotificationStates.Failed, WeChatErrors.QuotaReached, "daily quota kept being reached", null, cancellationToken);
            LogFailed(logger, message.SignUpId, WeChatErrors.QuotaReached);
            metrics.NotificationFailed();
            await alerts.RaiseAsync(NotificationAlerts.QuotaGaveUp(message.SignUpId), cancellationToken);
            return;
        }

        // Release first: if this dies before the copy is queued, the original comes back and finds the claim free.
        claim.QuotaDeferrals++;
        await ledger.ReleaseAsync(claim, WeChatErrors.QuotaReached, "daily quota reached; waiting", cancellationToken);
        // Spread the retries so a backlog doesn't hit WeChat all in the same second when the wait ends.
        // Whole seconds, rounded up: the queue truncates a visibility timeout to seconds, and 0 would mean now.
        var delay = TimeSpan.FromSeconds(Math.Ceiling((settings.QuotaRetryDelay * (0.9 + (0.2 * Random.Shared.NextDouble()))).TotalSeconds));
        await storage.Queue(QueueNames.Notifications).SendMessageAsync(
            NotificationSends.Body(NotificationBatch.Of(message)),
            visibilityTimeout: delay,
            timeToLive: QueueRetention.MessageTimeToLive,
            cancellationToken);
        LogDeferred(logger, message.SignUpId, delay.TotalMinutes, claim.QuotaDeferrals);
        if (claim.QuotaDeferrals == 1)
            await alerts.RaiseAsync(NotificationAlerts.QuotaReached(), cancellationToken);
    }

    private async Task<string> TokenAsync(string signUpId, CancellationToken cancellationToken)
    {
        try
        {
            return await tokens.GetAsync(cancellationToken);
        }
        catch (WeChatException e) when (!e.IsTransient)
        {
            // Wrong AppId/secret or an IP not on the whitelist: every notification will fail until ops fix it.
            LogTokenRefused(logger, signUpId, e.ErrorCode);
            await alerts.RaiseAsync(NotificationAlerts.TokenRefused(e.ErrorCode), cancellationToken);
            throw;
        }
    }

    /// <summary>
    /// WeChat answered (busy, or refused the token), the server failed (5xx), the call timed out or was
    /// cancelled: retried. A timeout can't prove WeChat didn't take the message, but
    /// subscribe/send has no idempotency key, so this is the one place a duplicate remains possible.
    /// Anything else (an unreadable answer) leaves the claim held, so it settles unconfirmed instead.
    /// </summary>
    private static bool KnownNotAccepted(Exception e) =>
        e is WeChatException or WeChatTokenUnavailableException or HttpRequestException or TimeoutRejectedException or OperationCanceledException;

    private async Task ReleaseAfterAsync(NotificationRecord claim, Exception e, string signUpId)
    {
        var (code, reason) = e switch
        {
            WeChatException w => ((int?)w.ErrorCode, w.IsTransient ? "system busy" : $"errcode {w.ErrorCode}"),
            HttpRequestException { StatusCode: { } status } => ((int)status, $"http {(int)status}"),
            HttpRequestException => (null, "connection failed"),
            WeChatTokenUnavailableException => (null, "no access token"),
            TimeoutRejectedException => (null, "timeout"),
            _ => (null, "cancelled"),
        };
        LogWillRetry(logger, signUpId, reason);
        metrics.NotificationFailed();
        try
        {
            // Not the handler's token: a cancelled delivery must still hand the claim back.
            await ledger.ReleaseAsync(claim, code, reason, CancellationToken.None);
        }
        catch (RequestFailedException failure)
        {
            LogReleaseFailed(logger, failure, signUpId);
        }
    }

    [LoggerMessage(EventId = LogEvents.Notifications + 1, Level = LogLevel.Information, Message = "Notification of sign-up {SignUpId} sent (msgid {MsgId}, attempt {Attempts})")]
    private static partial void LogSent(ILogger logger, string signUpId, long? msgId, int attempts);

    [LoggerMessage(EventId = LogEvents.Notifications + 2, Level = LogLevel.Information, Message = "Notification of sign-up {SignUpId} skipped: the applicant has no subscription (43101)")]
    private static partial void LogSkipped(ILogger logger, string signUpId);

    [LoggerMessage(EventId = LogEvents.Notifications + 3, Level = LogLevel.Error, Message = "Notification of sign-up {SignUpId} failed for good: WeChat errcode {ErrorCode}")]
    private static partial void LogFailed(ILogger logger, string signUpId, int errorCode);

    [LoggerMessage(EventId = LogEvents.Notifications + 4, Level = LogLevel.Information, Message = "Notification of sign-up {SignUpId} already {State}; duplicate delivery of message {MessageId} ignored")]
    private static partial void LogAlreadySettled(ILogger logger, string signUpId, string state, string messageId);

    [LoggerMessage(EventId = LogEvents.Notifications + 5, Level = LogLevel.Information, Message = "Notification of sign-up {SignUpId} is being sent under another message's claim; duplicate message {MessageId} ignored")]
    private static partial void LogHeldElsewhere(ILogger logger, string signUpId, string messageId);

    [LoggerMessage(EventId = LogEvents.Notifications + 6, Level = LogLevel.Warning, Message = "Notification of sign-up {SignUpId} unconfirmed: an earlier delivery of message {MessageId} died after claiming it, so WeChat may have it; not sending again (delivery {DequeueCount})")]
    private static partial void LogUnconfirmed(ILogger logger, string signUpId, string messageId, long dequeueCount);

    [LoggerMessage(EventId = LogEvents.Notifications + 7, Level = LogLevel.Information, Message = "Notification of sign-up {SignUpId}: WeChat refused the access token ({ErrorCode}); refreshing it and sending once more")]
    private static partial void LogTokenRejected(ILogger logger, string signUpId, int errorCode);

    [LoggerMessage(EventId = LogEvents.Notifications + 8, Level = LogLevel.Warning, Message = "Notification of sign-up {SignUpId} not sent ({Reason}); the queue will deliver it again")]
    private static partial void LogWillRetry(ILogger logger, string signUpId, string reason);

    [LoggerMessage(EventId = LogEvents.Notifications + 9, Level = LogLevel.Warning, Message = "Notification of sign-up {SignUpId} refused with errcode {ErrorCode}; the queue will deliver it again")]
    private static partial void LogRefusedForNow(ILogger logger, string signUpId, int errorCode);

    [LoggerMessage(EventId = LogEvents.Notifications + 10, Level = LogLevel.Warning, Message = "Notification of sign-up {SignUpId} put off {DelayMinutes:0.#} min: WeChat's daily quota is reached (deferral {Deferrals})")]
    private static partial void LogDeferred(ILogger logger, string signUpId, double delayMinutes, int deferrals);

    [LoggerMessage(EventId = LogEvents.Notifications + 11, Level = LogLevel.Error, Message = "Notification of sign-up {SignUpId}: WeChat refused the access token request with errcode {ErrorCode}")]
    private static partial void LogTokenRefused(ILogger logger, string signUpId, int errorCode);

    [LoggerMessage(EventId = LogEvents.Notifications + 12, Level = LogLevel.Error, Message = "Notification of sign-up {SignUpId}: could not release the claim; a redelivery will settle it unconfirmed")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, string signUpId);

    [LoggerMessage(EventId = LogEvents.Notifications + 13, Level = LogLevel.Warning, Message = "{FailedCount} of the {NotificationCount} notifications in message {MessageId} failed (delivery {DequeueCount}); the message will come back")]
    private static partial void LogPartlyFailed(ILogger logger, int failedCount, int notificationCount, string messageId, long dequeueCount);
}
