using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using HuiminBao.Domain;
using HuiminBao.Queues;
using HuiminBao.SignUps;
using HuiminBao.Storage;
using Microsoft.Extensions.Logging;

namespace HuiminBao.Reviews;

/// <summary>
/// The <c>signups-poison</c> stage: a sign-up whose validation kept failing is never silently lost.
/// Its status becomes <c>needs-review</c> (the status endpoint shows it), it is listed for ops with
/// its original message, and ops are alerted.
/// </summary>
public sealed partial class SignUpPoisonReview(StorageAccount storage, IOpsAlerts alerts, TimeProvider time, ILogger<SignUpPoisonReview> logger)
    : IQueueHandler<SignUpQueued>
{
    public async Task HandleAsync(SignUpQueued message, QueueDelivery delivery, CancellationToken cancellationToken)
    {
        var review = new ReviewRow
        {
            RowKey = message.SignUpId,
            Message = JsonSerializer.Serialize(message, PipelineJson.Default.SignUpQueued),
            PoisonedAt = time.GetUtcNow(),
            PlanYear = message.PlanYear,
            InsuredCount = message.Persons.Count,
        };
        await storage.Table(TableNames.Reviews).UpsertEntityAsync(review, TableUpdateMode.Replace, cancellationToken);

        var persons = message.Persons.Select(p => new PersonState(p.PersonKey, p.Relation, PersonOutcome.NeedsReview, OutcomeReasons.Poisoned)).ToList();
        var status = SignUpKeys.RecordEntity(message.SignUpId);
        status[nameof(SignUpRecord.Status)] = SignUpStatus.NeedsReview;
        status[nameof(SignUpRecord.Persons)] = JsonSerializer.Serialize(persons, PipelineJson.Default.ListPersonState);
        try
        {
            await storage.Table(TableNames.SignUps).UpdateEntityAsync(status, ETag.All, TableUpdateMode.Merge, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            LogNoRecord(logger, message.SignUpId);
        }

        LogNeedsReview(logger, message.SignUpId);
        await alerts.RaiseAsync(new OpsAlert(OpsAlertKinds.SignUpPoisoned, $"投保申请 {message.SignUpId} 多次处理失败，已转人工审核"), cancellationToken);
    }

    [LoggerMessage(EventId = 3201, Level = LogLevel.Error, Message = "Sign-up {SignUpId} poisoned: marked needs-review and listed for ops")]
    private static partial void LogNeedsReview(ILogger logger, string signUpId);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Error, Message = "Poisoned message names sign-up {SignUpId}, which has no record")]
    private static partial void LogNoRecord(ILogger logger, string signUpId);
}
