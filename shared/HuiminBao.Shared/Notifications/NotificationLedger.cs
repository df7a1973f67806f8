using Azure;
using HuiminBao.Diagnostics;
using HuiminBao.Queues;
using HuiminBao.SignUps;
using Microsoft.Extensions.Logging;

namespace HuiminBao.Notifications;

/// <summary>
/// The notification row's state machine. A delivery may send only while it holds the claim: it
/// inserted the row (<c>sending</c>), or took it over from <c>retry</c> with an ETag match. So duplicate
/// messages and redeliveries never send twice once WeChat has accepted.
/// <para>
/// A row still <c>sending</c> when the same queue message comes back means that message's previous
/// delivery died between claiming and recording what WeChat said. It may have been accepted, so it
/// is settled <c>unconfirmed</c> and not sent again: at most once, by choice, for that one ambiguous case.
/// A row <c>sending</c> under another message's claim is left to that message, which is either still
/// running or will be delivered again itself.
/// </para>
/// </summary>
public sealed partial class NotificationLedger(SignUpStore store, TimeProvider time, ILogger<NotificationLedger> logger)
{
    private const int ContendedTries = 3;

    public Task<NotificationRecord?> ReadAsync(string signUpId, CancellationToken cancellationToken) => store.FindNotificationAsync(signUpId, cancellationToken);

    public async Task<NotificationClaim> ClaimAsync(string signUpId, QueueDelivery delivery, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var fresh = NotificationRecord.For(signUpId);
        fresh.Attempts = 1;
        fresh.ClaimedBy = delivery.MessageId;
        fresh.ClaimedAt = now;
        try
        {
            fresh.ETag = await store.AddNotificationAsync(fresh, cancellationToken);
            return new NotificationClaim(ClaimOutcome.Claimed, fresh);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
        }

        for (var i = 0; i < ContendedTries; i++)
        {
            var existing = await ReadAsync(signUpId, cancellationToken)
                ?? throw new InvalidOperationException($"Notification row of {signUpId} vanished after a conflict.");
            if (NotificationStates.IsSettled(existing.State))
                return new NotificationClaim(ClaimOutcome.Settled, existing);
            if (existing.State == NotificationStates.Sending && existing.ClaimedBy != delivery.MessageId)
                return new NotificationClaim(ClaimOutcome.HeldElsewhere, existing);

            var abandoned = existing.State == NotificationStates.Sending;
            if (abandoned)
            {
                existing.State = NotificationStates.Unconfirmed;
                existing.Reason = "previous delivery died after claiming; WeChat may have the message";
                existing.SettledAt = now;
            }
            else
            {
                existing.State = NotificationStates.Sending;
                existing.Attempts++;
                existing.ClaimedBy = delivery.MessageId;
                existing.ClaimedAt = now;
            }
            try
            {
                existing.ETag = await store.ReplaceNotificationAsync(existing, existing.ETag, grouped: false, cancellationToken);
                return new NotificationClaim(abandoned ? ClaimOutcome.Abandoned : ClaimOutcome.Claimed, existing);
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                // Someone moved the row on meanwhile: look again.
            }
        }
        throw new InvalidOperationException($"Notification row of {signUpId} kept changing under the claim; the delivery will retry.");
    }

    /// <summary>Records what WeChat finally said. Returns false if the claim was lost meanwhile and the row left as it is.</summary>
    public async Task<bool> SettleAsync(NotificationRecord claimed, string state, int? errorCode, string? reason, long? msgId, CancellationToken cancellationToken)
    {
        claimed.State = state;
        claimed.ErrorCode = errorCode;
        claimed.Reason = reason;
        claimed.MsgId = msgId;
        claimed.SettledAt = time.GetUtcNow();
        try
        {
            claimed.ETag = await store.ReplaceNotificationAsync(claimed, claimed.ETag, grouped: true, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            var current = await ReadAsync(claimed.SignUpId, cancellationToken);
            // A send WeChat accepted is a fact that beats whatever a takeover concluded without knowing it.
            if (state == NotificationStates.Sent && current is not null && current.State != NotificationStates.Sent)
            {
                await store.ReplaceNotificationAsync(claimed, current.ETag, grouped: false, cancellationToken);
                return true;
            }
            LogClaimLost(logger, claimed.SignUpId, state, current?.State);
            return false;
        }
    }

    /// <summary>Gives the claim back after an attempt known not to have reached the applicant, so a later delivery may send.</summary>
    public Task<bool> ReleaseAsync(NotificationRecord claimed, int? errorCode, string reason, CancellationToken cancellationToken) =>
        SettleAsync(claimed, NotificationStates.Retry, errorCode, reason, null, cancellationToken);

    /// <summary>
    /// For a notification whose message was poisoned: settles it failed (or unconfirmed, if its last
    /// delivery died holding the claim). Returns the state it ended in, or null if it had settled already.
    /// </summary>
    public async Task<string?> GiveUpAsync(string signUpId, string reason, CancellationToken cancellationToken)
    {
        for (var i = 0; i < ContendedTries; i++)
        {
            var existing = await ReadAsync(signUpId, cancellationToken);
            if (existing is not null && NotificationStates.IsSettled(existing.State))
                return null;
            var row = existing ?? NotificationRecord.For(signUpId);
            row.State = existing?.State == NotificationStates.Sending ? NotificationStates.Unconfirmed : NotificationStates.Failed;
            row.Reason = reason;
            row.SettledAt = time.GetUtcNow();
            try
            {
                if (existing is null)
                    await store.InsertNotificationAsync(row, cancellationToken);
                else
                    await store.ReplaceNotificationAsync(row, existing.ETag, grouped: false, cancellationToken);
                return row.State;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
            }
        }
        throw new InvalidOperationException($"Notification row of {signUpId} kept changing while giving it up.");
    }

    [LoggerMessage(EventId = LogEvents.NotificationLedger + 1, Level = LogLevel.Warning, Message = "Notification of sign-up {SignUpId}: lost the claim before recording {State}; the row says {CurrentState}")]
    private static partial void LogClaimLost(ILogger logger, string signUpId, string state, string? currentState);
}

public enum ClaimOutcome
{
    /// <summary>This delivery holds the claim and sends.</summary>
    Claimed,

    /// <summary>Already sent, skipped, failed or unconfirmed: nothing to do.</summary>
    Settled,

    /// <summary>Another message's delivery holds the claim: this one is a duplicate.</summary>
    HeldElsewhere,

    /// <summary>This message's previous delivery died holding the claim; now settled unconfirmed.</summary>
    Abandoned,
}

public sealed record NotificationClaim(ClaimOutcome Outcome, NotificationRecord Record);
