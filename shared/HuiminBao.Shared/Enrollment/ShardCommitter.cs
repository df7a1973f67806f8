using System.Globalization;
using Azure.Data.Tables;
using HuiminBao.Storage;
using Microsoft.Extensions.Logging;

namespace HuiminBao.Enrollment;

/// <summary>
/// Group commit for one enrollment shard (<see cref="SerialBatcher{TPending}"/>). A transaction holds
/// up to <see cref="MaxEnrollments"/> enrollment inserts plus one counter update per day they fall on
/// (≤ 100 operations, as Azure allows).
/// </summary>
internal sealed class ShardCommitter(string partition, TableClient table, ILogger logger) : SerialBatcher<ShardCommitter.Pending>
{
    private const int MaxEnrollments = 90;
    private const int MaxCounterRetries = 50;

    private readonly Dictionary<string, CounterSnapshot> _counters = new(StringComparer.Ordinal);

    public Task<EnrollResult> Submit(PersonEnrollment enrollment)
    {
        var pending = new Pending(enrollment, Row(enrollment));
        Enqueue(pending);
        return pending.Outcome.Task;
    }

    /// <summary>Enrollments of distinct people (a transaction can't touch a row twice), leaving room for one counter per day they fall on.</summary>
    protected override List<Pending> Take() => TakeDistinct(MaxEnrollments, p => p.Row.RowKey,
        (batch, next) => batch.Count + batch.Select(p => p.Enrollment.Day).Append(next.Enrollment.Day).Distinct().Count() <= 99);

    protected override async Task CommitAsync(List<Pending> batch)
    {
        for (var attempt = 0; batch.Count > 0; attempt++)
        {
            var counters = new List<(string Row, CounterSnapshot Next)>();
            try
            {
                foreach (var day in batch.GroupBy(p => p.Enrollment.Day))
                {
                    var row = EnrollmentKeys.CounterRow(day.Key);
                    var current = _counters.TryGetValue(row, out var cached) ? cached : await ReadCounterAsync(row);
                    counters.Add((row, current.Plus(day.SelectMany(p => TallyColumns.For(p.Enrollment)))));
                }
                var actions = batch.Select(p => new TableTransactionAction(TableTransactionActionType.Add, p.Row))
                    .Concat(counters.Select(c => c.Next.ETag is { } etag
                        ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, c.Next.ToEntity(partition, c.Row), etag)
                        : new TableTransactionAction(TableTransactionActionType.Add, c.Next.ToEntity(partition, c.Row))))
                    .ToList();

                var response = await table.SubmitTransactionAsync(actions);
                for (var i = 0; i < counters.Count; i++)
                    _counters[counters[i].Row] = counters[i].Next with { ETag = response.Value[batch.Count + i].Headers.ETag };
                foreach (var pending in batch)
                    pending.Outcome.TrySetResult(EnrollResult.Enrolled);
                EnrollmentLedger.LogCommitted(logger, partition, batch.Count);
                return;
            }
            catch (TableTransactionFailedException e) when (e.FailedTransactionActionIndex is { } index && index < batch.Count && e.Status == 409)
            {
                // That person is enrolled already: by this sign-up's earlier delivery, or by another sign-up.
                var refused = batch[index];
                batch.RemoveAt(index);
                await ResolveExistingAsync(refused);
            }
            catch (TableTransactionFailedException e) when (e.FailedTransactionActionIndex >= batch.Count && attempt < MaxCounterRetries)
            {
                // Another instance moved a counter since we cached it.
                foreach (var (row, _) in counters)
                    _counters.Remove(row);
                EnrollmentLedger.LogCounterConflict(logger, partition, counters[e.FailedTransactionActionIndex!.Value - batch.Count].Row, attempt);
            }
            catch (Exception e)
            {
                // Storage failing: nothing of this transaction was written; each caller's message will be retried.
                foreach (var (row, _) in counters)
                    _counters.Remove(row);
                foreach (var pending in batch)
                    pending.Outcome.TrySetException(e);
                return;
            }
        }
    }

    private async Task ResolveExistingAsync(Pending refused)
    {
        try
        {
            var existing = await table.GetEntityAsync<EnrollmentRow>(partition, refused.Row.RowKey);
            refused.Outcome.TrySetResult(existing.Value.SignUpId == refused.Enrollment.SignUpId ? EnrollResult.Enrolled : EnrollResult.AlreadyEnrolled);
        }
        catch (Exception e)
        {
            // Whatever it was, only this caller's answer is lost; its message is delivered again.
            refused.Outcome.TrySetException(e);
        }
    }

    protected override void Fail(Pending pending, Exception failure) => pending.Outcome.TrySetException(failure);

    /// <summary>A commit that threw may have left a cached counter behind what storage holds: read them afresh.</summary>
    protected override void OnCommitFailed(Exception failure)
    {
        _counters.Clear();
        EnrollmentLedger.LogCommitFailed(logger, partition, failure.GetType().Name);
    }

    private async Task<CounterSnapshot> ReadCounterAsync(string row)
    {
        var found = await table.GetEntityIfExistsAsync<TableEntity>(partition, row);
        return found.HasValue ? CounterSnapshot.From(found.Value!) : CounterSnapshot.Empty;
    }

    private EnrollmentRow Row(PersonEnrollment enrollment) => new()
    {
        PartitionKey = partition,
        RowKey = EnrollmentKeys.EnrollmentRow(enrollment.PersonKey),
        SignUpId = enrollment.SignUpId,
        Relation = enrollment.Relation,
        District = enrollment.District,
        Scheme = enrollment.Scheme,
        Day = enrollment.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        EnrolledAt = enrollment.EnrolledAt,
    };

    internal sealed record Pending(PersonEnrollment Enrollment, EnrollmentRow Row)
    {
        public TaskCompletionSource<EnrollResult> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
