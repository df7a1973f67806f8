using System.Collections.Concurrent;

namespace HuiminBao.Diagnostics;

/// <summary>
/// What this instance saw of the pipeline, per minute: sign-ups accepted and decided, how long each
/// waited from intake to its decision (a histogram), and failed WeChat sends; and whether the 医保
/// circuit is open here. Counting costs an interlocked add; the health flusher
/// writes the counts to the <c>health</c> table every few seconds, where the health query sums every
/// instance's. Only aggregates: no ids, no personal data.
/// </summary>
public sealed class PipelineMetrics(TimeProvider time)
{
    /// <summary>Upper bounds (seconds) of the lag histogram's buckets; the last one is open.</summary>
    public static readonly IReadOnlyList<double> LagBucketSeconds = [1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200, 3600, double.PositiveInfinity];

    private readonly ConcurrentDictionary<long, MinuteCounts> _minutes = new();
    private volatile bool _circuitOpen;

    public bool CircuitOpen => _circuitOpen;

    public void SignUpAccepted() => Interlocked.Increment(ref Current().Accepted);

    public void SignUpDecided(TimeSpan lag)
    {
        var minute = Current();
        Interlocked.Increment(ref minute.Decided);
        var seconds = Math.Max(0, lag.TotalSeconds);
        var bucket = 0;
        while (seconds > LagBucketSeconds[bucket])
            bucket++;
        Interlocked.Increment(ref minute.Lag[bucket]);
    }

    public void NotificationFailed() => Interlocked.Increment(ref Current().SendFailures);

    public void CircuitChanged(bool open) => _circuitOpen = open;

    /// <summary>This instance's counts of each minute it saw anything in, and forgets minutes older than <paramref name="keep"/>.</summary>
    public IReadOnlyList<MinuteSnapshot> Snapshot(TimeSpan keep)
    {
        var now = MinuteOf(time.GetUtcNow());
        var oldest = now - (long)keep.TotalMinutes;
        foreach (var minute in _minutes.Keys.Where(m => m < oldest))
            _minutes.TryRemove(minute, out _);
        return [.. _minutes.OrderBy(m => m.Key).Select(m => m.Value.Snapshot(m.Key))];
    }

    public static long MinuteOf(DateTimeOffset instant) => instant.ToUnixTimeSeconds() / 60;

    private MinuteCounts Current() => _minutes.GetOrAdd(MinuteOf(time.GetUtcNow()), _ => new MinuteCounts());

    private sealed class MinuteCounts
    {
        public long Accepted;
        public long Decided;
        public long SendFailures;
        public readonly long[] Lag = new long[LagBucketSeconds.Count];

        public MinuteSnapshot Snapshot(long minute) =>
            new(minute, Interlocked.Read(ref Accepted), Interlocked.Read(ref Decided), Interlocked.Read(ref SendFailures), [.. Enumerable.Range(0, Lag.Length).Select(i => Interlocked.Read(ref Lag[i]))]);
    }
}

/// <summary>One instance's counts for one minute (Unix minutes).</summary>
public sealed record MinuteSnapshot(long Minute, long Accepted, long Decided, long SendFailures, IReadOnlyList<long> Lag);
