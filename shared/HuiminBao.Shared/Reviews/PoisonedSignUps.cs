using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using HuiminBao.Diagnostics;
using HuiminBao.Domain;
using HuiminBao.Queues;
using HuiminBao.SignUps;
using HuiminBao.Storage;
using Microsoft.Extensions.Logging;

namespace HuiminBao.Reviews;

public sealed record ReviewItem(string SignUpId, DateTimeOffset PoisonedAt, int PlanYear, int InsuredCount);

public sealed record ReviewList(IReadOnlyList<ReviewItem> Items);

public sealed record Requeued(string SignUpId, string Status);

/// <summary>Ops' view of poisoned sign-ups: list them, and requeue one after the cause is fixed.</summary>
public sealed partial class PoisonedSignUps(SignUpStore store, StorageAccount storage, ILogger<PoisonedSignUps> logger)
{
    private const int MaxListed = 1000;

    public async Task<Outcome<ReviewList>> ListAsync(CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {ReviewRow.SignUpsPartition}");
        var items = new List<ReviewItem>();
        await foreach (var row in storage.Table(TableNames.Reviews).QueryAsync<ReviewRow>(filter, maxPerPage: MaxListed, cancellationToken: cancellationToken))
        {
            items.Add(new ReviewItem(row.SignUpId, row.PoisonedAt, row.PlanYear, row.InsuredCount));
            if (items.Count == MaxListed)
                break;
        }
        return new ReviewList(items);
    }

    /// <summary>
    /// Status back to pending first, then the message, then the review row goes: a crash part-way
    /// leaves the review listed, and requeueing it again only repeats an idempotent validation.
    /// </summary>
    public async Task<Outcome<Requeued>> RequeueAsync(string signUpId, CancellationToken cancellationToken)
    {
        var reviews = storage.Table(TableNames.Reviews);
        var found = await reviews.GetEntityIfExistsAsync<ReviewRow>(ReviewRow.SignUpsPartition, signUpId, cancellationToken: cancellationToken);
        if (!found.HasValue)
            return ApiProblem.NotFound();
        var review = found.Value!;
        var message = JsonSerializer.Deserialize(review.Message, SignUpJson.Default.SignUpQueued)!;

        var persons = message.Persons.Select(p => new PersonState(p.PersonKey, p.Relation, PersonOutcome.Pending)).ToList();
        await store.ResetToPendingAsync(signUpId, persons, cancellationToken);
        await storage.Queue(QueueNames.SignUps).SendMessageAsync(SignUpSends.Body(SignUpBatch.Of(message)), visibilityTimeout: null, timeToLive: QueueRetention.MessageTimeToLive, cancellationToken);
        await reviews.DeleteEntityAsync(ReviewRow.SignUpsPartition, signUpId, ETag.All, cancellationToken);
        LogRequeued(logger, signUpId);
        return new Requeued(signUpId, SignUpStatus.Pending);
    }

    /// <summary>Takes a sign-up's review row away (its message holds the openid and masked names); nothing to do when there is none.</summary>
    public async Task ForgetAsync(string signUpId, CancellationToken cancellationToken)
    {
        try
        {
            await storage.Table(TableNames.Reviews).DeleteEntityAsync(ReviewRow.SignUpsPartition, signUpId, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Never poisoned, or forgotten already.
        }
    }

    /// <summary>
    /// Takes away every review row of the plan years <paramref name="due"/> picks, including rows of
    /// poisoned messages whose sign-up had no record. Returns how many went. The table holds only
    /// poisoned sign-ups, so one pass over it is small.
    /// </summary>
    public async Task<int> ForgetPlanYearsAsync(Func<int, bool> due, CancellationToken cancellationToken)
    {
        var reviews = storage.Table(TableNames.Reviews);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {ReviewRow.SignUpsPartition}");
        var forgotten = 0;
        await foreach (var row in reviews.QueryAsync<ReviewRow>(filter, select: [nameof(ReviewRow.PartitionKey), nameof(ReviewRow.RowKey), nameof(ReviewRow.PlanYear)], cancellationToken: cancellationToken))
        {
            if (!due(row.PlanYear))
                continue;
            await ForgetAsync(row.SignUpId, cancellationToken);
            forgotten++;
        }
        return forgotten;
    }

    [LoggerMessage(EventId = LogEvents.Reviews + 3, Level = LogLevel.Warning, Message = "Sign-up {SignUpId} requeued by ops after review")]
    private static partial void LogRequeued(ILogger logger, string signUpId);
}
