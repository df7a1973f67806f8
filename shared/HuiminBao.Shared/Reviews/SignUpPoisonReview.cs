using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using HuiminBao.Alerts;
using HuiminBao.Diagnostics;
using HuiminBao.Domain;
using HuiminBao.Queues;
using HuiminBao.SignUps;
using HuiminBao.Storage;
using Microsoft.Extensions.Logging;

namespace HuiminBao.Reviews;

/// <summary>
/// The <c>signups-poison</c> stage: a sign-up whose validation kept failing is never silently lost.
/// Its status becomes <c>needs-review</c> (the status endpoint shows it), it is listed for ops with
/// its own message, and ops are alerted. A poisoned message may also hold sign-ups that were decided
/// before a companion made it fail; those are left as they are.
/// </summary>
public sealed partial class SignUpPoisonReview(SignUpStore store, StorageAccount storage, IOpsAlerts alerts, TimeProvider time, ILogger<SignUpPoisonReview> logger)
    : IQueueHandler<SignUpBatch>
{
    private const int ContendedTries = 3;

    public async Task HandleAsync(SignUpBatch message, QueueDelivery delivery, CancellationToken cancellationToken)
    {
        foreach (var signUp in message.SignUps.DistinctBy(s => s.SignUpId, StringComparer.Ordinal))
            await ReviewAsync(signUp, cancellationToken);
    }

    private async Task ReviewAsync(SignUpQueued signUp, CancellationToken cancellationToken)
    {
        for (var i = 0; ; i++)
        {
            var found = await store.FindAsync(signUp.SignUpId, cancellationToken);
            if (found is not null && found.Status is not (SignUpStatus.Pending or SignUpStatus.NeedsReview))
            {
                LogDecidedMeanwhile(logger, signUp.SignUpId, found.Status);
                return;
            }

            // The review row first: if this dies before the status changes, the redelivery finds it again.
            var review = new ReviewRow
            {
                RowKey = signUp.SignUpId,
                Message = JsonSerializer.Serialize(signUp, SignUpJson.Default.SignUpQueued),
                PoisonedAt = time.GetUtcNow(),
                PlanYear = signUp.PlanYear,
                InsuredCount = signUp.Persons.Count,
            };
            await storage.Table(TableNames.Reviews).UpsertEntityAsync(review, TableUpdateMode.Replace, cancellationToken);
            if (found is null)
            {
                LogNoRecord(logger, signUp.SignUpId);
                break;
            }

            var persons = signUp.Persons.Select(p => new PersonState(p.PersonKey, p.Relation, PersonOutcome.NeedsReview, OutcomeReasons.Poisoned)).ToList();
            if (await store.TryMarkNeedsReviewAsync(found, persons, cancellationToken))
                break;
            if (i + 1 >= ContendedTries)
                throw new InvalidOperationException($"Sign-up {signUp.SignUpId} kept changing while being marked needs-review; the poison message will come back.");
            // A decision written since the read wins over the review: take the review row back and look again.
            await storage.Table(TableNames.Reviews).DeleteEntityAsync(ReviewRow.SignUpsPartition, signUp.SignUpId, ETag.All, cancellationToken);
        }

        LogNeedsReview(logger, signUp.SignUpId);
        await alerts.RaiseAsync(ReviewAlerts.Poisoned(signUp.SignUpId), cancellationToken);
    }

    [LoggerMessage(EventId = LogEvents.Reviews + 1, Level = LogLevel.Error, Message = "Sign-up {SignUpId} poisoned: marked needs-review and listed for ops")]
    private static partial void LogNeedsReview(ILogger logger, string signUpId);

    [LoggerMessage(EventId = LogEvents.Reviews + 2, Level = LogLevel.Error, Message = "Poisoned message names sign-up {SignUpId}, which has no record")]
    private static partial void LogNoRecord(ILogger logger, string signUpId);

    [LoggerMessage(EventId = LogEvents.Reviews + 4, Level = LogLevel.Information, Message = "Poisoned message names sign-up {SignUpId}, which was decided {Status} meanwhile; left as it is")]
    private static partial void LogDecidedMeanwhile(ILogger logger, string signUpId, string status);
}
