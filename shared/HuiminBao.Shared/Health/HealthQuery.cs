using System.Globalization;
using Azure.Data.Tables;
using HuiminBao.Diagnostics;
using HuiminBao.Domain;
using HuiminBao.Enrollment.Eligibility;
using HuiminBao.Queues;
using HuiminBao.Reviews;
using HuiminBao.Storage;
using Microsoft.Extensions.Options;

namespace HuiminBao.Health;

/// <summary>
/// Reads <see cref="PipelineHealth"/>: the instances' minute counts (one or two range queries), the
/// queues' depth and front message (two calls per watched queue), and the review count (one page).
/// About ten storage calls whatever the load, and a reading is reused for
/// <see cref="HealthOptions.CacheFor"/>, so watching the pipeline never loads it.
/// </summary>
public sealed class HealthQuery(StorageAccount storage, IOptions<HealthOptions> options, IOptions<InsuranceOptions> insurance, TimeProvider time)
{
    /// <summary>The queues whose age matters get a peek; the poison ones are only counted.</summary>
    private static readonly (string Queue, bool Peek)[] Watched =
    [
        (QueueNames.SignUps, true), (QueueNames.Notifications, true), (QueueNames.RosterImports, false),
        (QueueNames.SignUpsPoison, false), (QueueNames.NotificationsPoison, false),
    ];

    private readonly Lock _gate = new();
    private (DateTimeOffset At, PipelineHealth Health)? _cached;

    public async Task<PipelineHealth> GetAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_cached is { } cached && now - cached.At < options.Value.CacheFor)
                return cached.Health;
        }
        var health = await ReadAsync(now, cancellationToken);
        lock (_gate)
            _cached = (now, health);
        return health;
    }

    private async Task<PipelineHealth> ReadAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var current = PipelineMetrics.MinuteOf(now);
        var first = current - settings.Minutes + 1;
        var rows = ReadRowsAsync(first, current, cancellationToken);
        var queues = Task.WhenAll(Watched.Select(w => QueueAsync(w.Queue, w.Peek, now, cancellationToken)));
        var reviews = CountReviewsAsync(cancellationToken);

        var byMinute = (await rows).GroupBy(r => r.Minute).ToDictionary(g => g.Key, g => g.ToList());
        var minutes = Enumerable.Range(0, settings.Minutes).Select(i => first + i)
            .Select(m => new MinuteCount(BeijingTime.ToBeijing(DateTimeOffset.FromUnixTimeSeconds(m * 60)), Sum(byMinute, m, r => r.Accepted), Sum(byMinute, m, r => r.Decided)))
            .ToList();
        var lag = new long[PipelineMetrics.LagBucketSeconds.Count];
        foreach (var row in byMinute.Values.SelectMany(r => r))
        {
            var counts = row.Lag.Split(',', StringSplitOptions.RemoveEmptyEntries);
            for (var i = 0; i < counts.Length && i < lag.Length; i++)
                lag[i] += long.Parse(counts[i], CultureInfo.InvariantCulture);
        }
        // The minute under way is partly counted: the rate is over the finished minutes.
        var finished = minutes.Take(minutes.Count - 1).ToList();
        var circuit = insurance.Value.Mode != InsuranceModes.Http ? "n/a"
            : byMinute.Where(m => m.Key >= current - 1).SelectMany(m => m.Value).Any(r => r.CircuitOpen) ? "open" : "closed";
        var queueHealth = await queues;
        var p95 = Percentile(lag, 0.95);
        var warnings = new List<string>();
        if (p95 > settings.LagAlertAfter.TotalSeconds)
            warnings.Add("lag");
        if (queueHealth.FirstOrDefault(q => q.Queue == QueueNames.SignUps)?.OldestAgeSeconds > settings.BacklogAlertAfter.TotalSeconds)
            warnings.Add("backlog");
        if (circuit == "open")
            warnings.Add("insurance-circuit-open");
        return new PipelineHealth(
            BeijingTime.ToBeijing(now),
            minutes,
            finished.Count == 0 ? 0 : Math.Round(finished.Average(m => m.Accepted), 1),
            Percentile(lag, 0.5),
            p95,
            queueHealth,
            await reviews,
            circuit,
            byMinute.Values.SelectMany(r => r).Sum(r => r.SendFailures),
            warnings);
    }

    private async Task<List<HealthRow>> ReadRowsAsync(long first, long last, CancellationToken cancellationToken)
    {
        var table = storage.Table(TableNames.Health);
        var rows = new List<HealthRow>();
        foreach (var partition in new[] { HealthMetricsFlusher.Partition(first), HealthMetricsFlusher.Partition(last) }.Distinct(StringComparer.Ordinal))
        {
            var low = first.ToString("D12", CultureInfo.InvariantCulture);
            var high = (last + 1).ToString("D12", CultureInfo.InvariantCulture);
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {low} and RowKey lt {high}");
            await foreach (var row in table.QueryAsync<HealthRow>(filter, cancellationToken: cancellationToken))
                rows.Add(row);
        }
        return rows;
    }

    private async Task<QueueHealth> QueueAsync(string name, bool peek, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var queue = storage.Queue(name);
        var properties = await queue.GetPropertiesAsync(cancellationToken);
        double? oldest = null;
        if (peek && properties.Value.ApproximateMessagesCount > 0)
        {
            var front = (await queue.PeekMessagesAsync(1, cancellationToken)).Value;
            if (front.Length == 1 && front[0].InsertedOn is { } inserted)
                oldest = Math.Round(Math.Max(0, (now - inserted).TotalSeconds), 1);
        }
        return new QueueHealth(name, properties.Value.ApproximateMessagesCount, oldest);
    }

    private async Task<int> CountReviewsAsync(CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {ReviewRow.SignUpsPartition}");
        var pages = storage.Table(TableNames.Reviews).QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["RowKey"], cancellationToken: cancellationToken).AsPages();
        await foreach (var page in pages)
            return page.Values.Count;
        return 0;
    }

    private static long Sum(Dictionary<long, List<HealthRow>> rows, long minute, Func<HealthRow, long> value) =>
        rows.TryGetValue(minute, out var found) ? found.Sum(value) : 0;

    /// <summary>The upper bound of the bucket the percentile falls in; the open last bucket reads as its lower bound.</summary>
    private static double? Percentile(long[] buckets, double fraction)
    {
        var total = buckets.Sum();
        if (total == 0)
            return null;
        var rank = (long)Math.Ceiling(total * fraction);
        long seen = 0;
        for (var i = 0; i < buckets.Length; i++)
        {
            seen += buckets[i];
            if (seen >= rank)
                return double.IsPositiveInfinity(PipelineMetrics.LagBucketSeconds[i]) ? PipelineMetrics.LagBucketSeconds[i - 1] : PipelineMetrics.LagBucketSeconds[i];
        }
        return null;
    }
}
