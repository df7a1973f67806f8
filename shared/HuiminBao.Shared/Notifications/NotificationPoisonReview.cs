using HuiminBao.Alerts;
using HuiminBao.Diagnostics;
using HuiminBao.Queues;
using Microsoft.Extensions.Logging;

namespace HuiminBao.Notifications;

/// <summary>
/// The <c>notifications-poison</c> stage: a notification whose deliveries kept failing is settled
/// <c>failed</c> (or <c>unconfirmed</c>, if its last delivery died holding the claim), so the sign-up's
/// status stops saying pending, and ops are alerted. One that settled meanwhile (or was sent before a
/// companion in its message made the message fail) is left as it is.
/// </summary>
public sealed partial class NotificationPoisonReview(NotificationLedger ledger, IOpsAlerts alerts, ILogger<NotificationPoisonReview> logger)
    : IQueueHandler<NotificationBatch>
{
    public async Task HandleAsync(NotificationBatch message, QueueDelivery delivery, CancellationToken cancellationToken)
    {
        foreach (var notification in message.Notifications.DistinctBy(n => n.SignUpId, StringComparer.Ordinal))
            await GiveUpAsync(notification, cancellationToken);
    }

    private async Task GiveUpAsync(NotificationQueued message, CancellationToken cancellationToken)
    {
        var state = await ledger.GiveUpAsync(message.SignUpId, "gave up after repeated failures", cancellationToken);
        if (state is null)
        {
            LogAlreadySettled(logger, message.SignUpId);
            return;
        }
        LogGaveUp(logger, message.SignUpId, state);
        await alerts.RaiseAsync(NotificationAlerts.Poisoned(message.SignUpId, state), cancellationToken);
    }

    [LoggerMessage(EventId = LogEvents.NotificationReview + 1, Level = LogLevel.Error, Message = "Notification of sign-up {SignUpId} poisoned: settled {State}")]
    private static partial void LogGaveUp(ILogger logger, string signUpId, string state);

    [LoggerMessage(EventId = LogEvents.NotificationReview + 2, Level = LogLevel.Information, Message = "Poisoned notification of sign-up {SignUpId} had settled already; left as it is")]
    private static partial void LogAlreadySettled(ILogger logger, string signUpId);
}
