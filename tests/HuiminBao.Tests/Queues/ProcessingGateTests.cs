using HuiminBao.Queues;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HuiminBao.Tests.Queues;

/// <summary>The gate through which processing yields to intake across instances: it shrinks while storage throttles or intake refuses, within bounds, and grows back once they stop.</summary>
public sealed class ProcessingGateTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private sealed class Rig : IDisposable
    {
        public Rig(int min = 2, int max = 16)
        {
            Gate = new ProcessingGate(Pressure, Options.Create(new ProcessingGateOptions
            {
                MinConcurrency = min,
                MaxConcurrency = max,
                Interval = Interval,
            }), Time, NullLogger<ProcessingGate>.Instance);
        }

        public FakeTimeProvider Time { get; } = new();

        public IntakePressure Pressure { get; } = new();

        public ProcessingGate Gate { get; }

        /// <summary>Items that run until released; each reports when it started.</summary>
        public List<(Task Started, TaskCompletionSource Release, Task Done)> Start(string stage, int count, CancellationToken cancellationToken = default)
        {
            var items = new List<(Task, TaskCompletionSource, Task)>();
            for (var i = 0; i < count; i++)
            {
                var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var done = Gate.RunAsync(stage, async () =>
                {
                    started.SetResult();
                    await release.Task;
                }, cancellationToken);
                items.Add((started.Task, release, done));
            }
            return items;
        }

        /// <summary>One control interval in which intake took <paramref name="milliseconds"/> per sign-up (none: intake was quiet).</summary>
        public void Interval_(params double[] milliseconds)
        {
            foreach (var ms in milliseconds)
                Pressure.IntakeTook(TimeSpan.FromMilliseconds(ms));
            Time.Advance(Interval);
        }

        /// <summary>One control interval in which storage throttled a call.</summary>
        public void Throttled()
        {
            Pressure.StorageThrottled();
            Interval_(20, 30);
        }

        public void Dispose() => Gate.Dispose();
    }

    [Fact]
    public async Task While_storage_throttles_fewer_items_run_but_never_fewer_than_the_minimum()
    {
        using var rig = new Rig(min: 2, max: 16);
        var items = rig.Start("signups", 10);
        Assert.Equal(16, rig.Gate.Limit);
        Assert.Equal(10, items.Count(i => i.Started.IsCompleted));

        for (var i = 0; i < 20; i++)
            rig.Throttled();

        Assert.Equal(2, rig.Gate.Limit);
        foreach (var item in items)
            item.Release.SetResult();
        await Task.WhenAll(items.Select(i => i.Done));

        var next = rig.Start("signups", 5);
        await Task.WhenAll(next.Take(2).Select(i => i.Started));
        await Task.Delay(50);
        Assert.Equal(2, next.Count(i => i.Started.IsCompleted));
        Assert.Equal((2, 2, 3), (rig.Gate.Gauge().Limit, rig.Gate.Gauge().Running, rig.Gate.Gauge().Waiting));

        next[0].Release.SetResult();
        await next[2].Started.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(next[3].Started.IsCompleted);
        foreach (var item in next)
            item.Release.TrySetResult();
        await Task.WhenAll(next.Select(i => i.Done));
    }

    [Fact]
    public async Task Intake_being_slow_is_not_on_its_own_a_reason_to_hold_processing_back()
    {
        // Slow intake may be the machine, not processing; within a process, intake's calls overtake
        // processing's in the storage lanes instead.
        using var rig = new Rig(min: 2, max: 16);
        var items = rig.Start("signups", 20);

        for (var i = 0; i < 20; i++)
            rig.Interval_(400, 600, 900);

        Assert.Equal(16, rig.Gate.Limit);
        Assert.Equal(16, items.Count(i => i.Started.IsCompleted));
        Assert.Equal(900, rig.Gate.Gauge().IntakeP90Milliseconds);
        foreach (var item in items)
            item.Release.SetResult();
        await Task.WhenAll(items.Select(i => i.Done));
    }

    [Fact]
    public async Task Once_storage_stops_throttling_held_items_get_back_to_full_speed_within_seconds()
    {
        using var rig = new Rig(min: 2, max: 64);
        for (var i = 0; i < 20; i++)
            rig.Throttled();
        Assert.Equal(2, rig.Gate.Limit);
        var items = rig.Start("notifications", 100);

        var intervals = 0;
        while (rig.Gate.Limit < 64 && intervals < 100)
        {
            rig.Interval_();
            intervals++;
        }

        Assert.InRange(intervals, 1, 8);
        await Task.WhenAll(items.Take(64).Select(i => i.Started)).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(36, rig.Gate.Gauge().Waiting);
        foreach (var item in items)
            item.Release.SetResult();
        await Task.WhenAll(items.Select(i => i.Done));
    }

    [Fact]
    public void A_stage_that_is_not_held_back_does_not_grow_its_limit()
    {
        using var rig = new Rig(min: 2, max: 64);
        rig.Throttled();
        var shrunk = rig.Gate.Limit;
        Assert.Equal(32, shrunk);

        for (var i = 0; i < 10; i++)
            rig.Interval_();

        Assert.Equal(shrunk, rig.Gate.Limit);
    }

    [Fact]
    public void Storage_throttling_or_intake_refusing_halves_the_limit()
    {
        using var rig = new Rig(min: 2, max: 64);

        rig.Pressure.StorageThrottled();
        rig.Interval_(5);
        Assert.Equal(32, rig.Gate.Limit);

        rig.Pressure.IntakeRefused();
        rig.Interval_();
        Assert.Equal(16, rig.Gate.Limit);
        Assert.Equal(1, rig.Gate.Gauge().Throttled);
    }

    [Fact]
    public async Task A_cancelled_wait_runs_nothing_and_leaves_its_place_to_the_next_item()
    {
        using var rig = new Rig(min: 1, max: 1);
        var first = rig.Start("signups", 1);
        using var cancel = new CancellationTokenSource();
        var cancelled = rig.Start("signups", 1, cancel.Token);
        var last = rig.Start("signups", 1);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled[0].Done);
        first[0].Release.SetResult();
        await last[0].Started.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.False(cancelled[0].Started.IsCompleted);
        last[0].Release.SetResult();
        await last[0].Done;
        Assert.Equal((0, 0), (rig.Gate.Gauge().Running, rig.Gate.Gauge().Waiting));
    }

    [Fact]
    public async Task Each_stage_has_its_own_room()
    {
        using var rig = new Rig(min: 1, max: 1);
        var validating = rig.Start("signups", 2);
        var notifying = rig.Start("notifications", 1);

        await notifying[0].Started.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(1, validating.Count(i => i.Started.IsCompleted));
        foreach (var item in validating.Concat(notifying))
            item.Release.TrySetResult();
        await Task.WhenAll(validating.Concat(notifying).Select(i => i.Done));
    }

    [Fact]
    public async Task Switched_off_it_runs_everything_at_once()
    {
        var time = new FakeTimeProvider();
        using var gate = new ProcessingGate(new IntakePressure(), Options.Create(new ProcessingGateOptions { Enabled = false, MaxConcurrency = 1 }), time, NullLogger<ProcessingGate>.Instance);
        var release = new TaskCompletionSource();
        var running = 0;
        var items = Enumerable.Range(0, 5).Select(_ => gate.RunAsync("signups", async () =>
        {
            Interlocked.Increment(ref running);
            await release.Task;
        }, CancellationToken.None)).ToList();

        Assert.Equal(5, running);
        release.SetResult();
        await Task.WhenAll(items);
    }
}
