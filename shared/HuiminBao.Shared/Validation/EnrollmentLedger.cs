using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using HuiminBao.Storage;
using Microsoft.Extensions.Logging;

namespace HuiminBao.Validation;

public enum EnrollResult
{
    /// <summary>Enrolled by this sign-up (now, or by an earlier delivery of the same message).</summary>
    Enrolled,

    /// <summary>Another sign-up enrolled this person for this plan year first.</summary>
    AlreadyEnrolled,
}

/// <summary>
/// Records enrollments and counts them, exactly once. Each enrollment is inserted together with
/// its shard's daily counter (ETag-conditional) in one entity-group transaction: if the person is
/// already enrolled the whole transaction fails, so a redelivered message can neither enroll twice
/// nor count twice, and a crash leaves either both writes or neither.
/// </summary>
public sealed partial class EnrollmentLedger(StorageAccount storage, ILogger<EnrollmentLedger> logger)
{
    private const int MaxCounterRetries = 50;

    // Counters are cached with their ETags so the common case is one transaction per enrollment;
    // the per-partition gate keeps this process from racing itself on a counter.
    private readonly ConcurrentDictionary<string, CounterSnapshot> _counters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    private TableClient Table => storage.Table(TableNames.Enrollments);

    public async Task<EnrollResult> EnrollAsync(Enrollment enrollment, CancellationToken cancellationToken)
    {
        var partition = EnrollmentKeys.Partition(enrollment.PlanYear, enrollment.PersonKey);
        var counterRow = EnrollmentKeys.CounterRow(enrollment.Day);
        var row = new EnrollmentRow
        {
            PartitionKey = partition,
            RowKey = EnrollmentKeys.EnrollmentRow(enrollment.PersonKey),
            SignUpId = enrollment.SignUpId,
            Relation = enrollment.Relation,
            District = enrollment.District,
            Scheme = enrollment.Scheme,
            Day = enrollment.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            EnrolledAt = enrollment.EnrolledAt,
        };

        var gate = _gates.GetOrAdd(partition, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                var cacheKey = partition + "|" + counterRow;
                var counter = _counters.TryGetValue(cacheKey, out var cached) ? cached : await ReadCounterAsync(partition, counterRow, cancellationToken);
                var next = counter.Plus(TallyColumns.For(enrollment));
                TableTransactionAction counterAction = counter.ETag is { } etag
                    ? new(TableTransactionActionType.UpdateReplace, next.ToEntity(partition, counterRow), etag)
                    : new(TableTransactionActionType.Add, next.ToEntity(partition, counterRow));
                try
                {
                    var response = await Table.SubmitTransactionAsync([new(TableTransactionActionType.Add, row), counterAction], cancellationToken);
                    _counters[cacheKey] = next with { ETag = response.Value[1].Headers.ETag };
                    return EnrollResult.Enrolled;
                }
                catch (TableTransactionFailedException e) when (e.FailedTransactionActionIndex == 0)
                {
                    var existing = await Table.GetEntityAsync<EnrollmentRow>(partition, row.RowKey, cancellationToken: cancellationToken);
                    return existing.Value.SignUpId == enrollment.SignUpId ? EnrollResult.Enrolled : EnrollResult.AlreadyEnrolled;
                }
                catch (TableTransactionFailedException e) when (e.FailedTransactionActionIndex == 1 && attempt < MaxCounterRetries)
                {
                    // Another instance moved this counter since we cached it.
                    _counters.TryRemove(cacheKey, out _);
                    LogCounterConflict(logger, partition, counterRow, attempt);
                }
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<CounterSnapshot> ReadCounterAsync(string partition, string counterRow, CancellationToken cancellationToken)
    {
        var found = await Table.GetEntityIfExistsAsync<TableEntity>(partition, counterRow, cancellationToken: cancellationToken);
        return found.HasValue ? CounterSnapshot.From(found.Value!) : CounterSnapshot.Empty;
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Debug, Message = "Counter {Partition}/{Row} moved under us (attempt {Attempt}); re-reading")]
    private static partial void LogCounterConflict(ILogger logger, string partition, string row, int attempt);
}

/// <summary>A daily counter's values as last seen, with the ETag they were seen at (null: doesn't exist yet).</summary>
internal sealed record CounterSnapshot(ETag? ETag, IReadOnlyDictionary<string, long> Values)
{
    public static readonly CounterSnapshot Empty = new(null, new Dictionary<string, long>());

    public static CounterSnapshot From(TableEntity entity) => new(
        entity.ETag,
        entity.Where(p => p.Value is long or int).ToDictionary(p => p.Key, p => Convert.ToInt64(p.Value, System.Globalization.CultureInfo.InvariantCulture)));

    public CounterSnapshot Plus(IEnumerable<string> columns)
    {
        var values = new Dictionary<string, long>(Values);
        foreach (var column in columns)
            values[column] = values.GetValueOrDefault(column) + 1;
        return this with { Values = values };
    }

    public TableEntity ToEntity(string partition, string row)
    {
        var entity = new TableEntity(partition, row);
        foreach (var (column, value) in Values)
            entity[column] = value;
        return entity;
    }
}
