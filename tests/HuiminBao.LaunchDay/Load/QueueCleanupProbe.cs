using System.Diagnostics;
using System.Globalization;
using Azure.Storage.Queues;
using HuiminBao.DevHost.Azurite;

namespace HuiminBao.LaunchDay.Load;

/// <summary>
/// <c>queue-cleanup [--rate 100] [--seconds 70] [--watch-seconds 150]</c>: what Azurite's
/// once-a-minute queue clean-up does to a caller. For each way of running the queue service it
/// starts a fresh Azurite, runs messages through one queue as the listeners do (send, receive 16,
/// delete) at <c>--rate</c> for <c>--seconds</c>, and meanwhile asks for the queue's properties every
/// 200 ms until <c>--watch-seconds</c> after the start: a trivial call, so its latency is the time a
/// caller such as intake waits behind whatever holds the service's one thread. The clean-up runs at
/// start and then a minute after each pass ends, so the watch covers the pass at about 60 s.
/// </summary>
internal static class QueueCleanupProbe
{
    private static readonly TimeSpan ProbeEvery = TimeSpan.FromMilliseconds(200);

    /// <summary>How long a stalled service is waited for before the probe gives up on it.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    public static async Task<int> RunAsync(CommandLineOptions args)
    {
        var rate = args.Double("rate", 100);
        var flow = args.Seconds("seconds", TimeSpan.FromSeconds(70));
        var watch = args.Seconds("watch-seconds", TimeSpan.FromSeconds(150));
        args.EnsureAllRead();

        var disk = Path.Combine(Path.GetTempPath(), "huiminbao-queue-cleanup-" + Guid.NewGuid().ToString("N")[..8]);
        var variants = new (string Name, AzuriteOptions Options)[]
        {
            ("in memory, clean-up as shipped", new AzuriteOptions { SeparateProcesses = true, StockQueueCleanup = true }),
            ("in memory, clean-up batched (as launched)", new AzuriteOptions { SeparateProcesses = true }),
            ("on disk, clean-up as shipped", new AzuriteOptions { SeparateProcesses = true, StockQueueCleanup = true, DataDirectory = disk }),
        };
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Queue clean-up probe: {rate:N0} messages/s through one queue for {flow.TotalSeconds:N0} s, a properties call every {ProbeEvery.TotalMilliseconds:N0} ms for {watch.TotalSeconds:N0} s"));
        try
        {
            foreach (var (name, options) in variants)
                Console.WriteLine($"   {name,-44} {await MeasureAsync(options, rate, flow, watch)}");
        }
        finally
        {
            if (Directory.Exists(disk))
                Directory.Delete(disk, recursive: true);
        }
        return 0;
    }

    private static async Task<ProbeResult> MeasureAsync(AzuriteOptions options, double rate, TimeSpan flow, TimeSpan watch)
    {
        await using var azurite = await AzuriteLauncher.StartAsync(options, CancellationToken.None);
        var clock = Stopwatch.StartNew();
        var clientOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        clientOptions.Retry.MaxRetries = 0;
        clientOptions.Retry.NetworkTimeout = Patience;
        var queue = new QueueClient(azurite.ConnectionString(), "cleanup-probe", clientOptions);
        await queue.CreateIfNotExistsAsync();

        long sent = 0, deleted = 0;
        var body = BinaryData.FromString(new string('x', 600));
        var senders = Enumerable.Range(0, 4).Select(lane => Task.Run(async () =>
        {
            var perLane = rate / 4;
            for (var i = 0; clock.Elapsed < flow; i++)
            {
                var due = TimeSpan.FromSeconds(i / perLane);
                if (due > clock.Elapsed)
                    await Task.Delay(due - clock.Elapsed);
                await queue.SendMessageAsync(body);
                Interlocked.Increment(ref sent);
            }
        })).ToList();
        var consumers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < flow || Interlocked.Read(ref deleted) < Interlocked.Read(ref sent))
            {
                var messages = (await queue.ReceiveMessagesAsync(16)).Value;
                if (messages.Length == 0)
                {
                    await Task.Delay(50);
                    continue;
                }
                await Task.WhenAll(messages.Select(async m =>
                {
                    await queue.DeleteMessageAsync(m.MessageId, m.PopReceipt);
                    Interlocked.Increment(ref deleted);
                }));
            }
        })).ToList();

        var latencies = new List<(double At, double Milliseconds)>();
        while (clock.Elapsed < watch)
        {
            var at = clock.Elapsed;
            try
            {
                await queue.GetPropertiesAsync();
            }
            catch (Exception e) when (e is Azure.RequestFailedException or TaskCanceledException or AggregateException)
            {
                latencies.Add((at.TotalSeconds, double.PositiveInfinity));
                break;
            }
            latencies.Add((at.TotalSeconds, (clock.Elapsed - at).TotalMilliseconds));
            var next = at + ProbeEvery;
            if (next > clock.Elapsed)
                await Task.Delay(next - clock.Elapsed);
        }
        // A service still stalled would hold the flow forever: stopping Azurite (dispose) ends it.
        var flowing = Task.WhenAll(senders.Concat(consumers));
        await Task.WhenAny(flowing, Task.Delay(Patience));
        if (flowing.Exception is { } failed)
            Console.Error.WriteLine($"   the flow failed: {failed.InnerExceptions[0].Message}");
        return new ProbeResult(Interlocked.Read(ref sent), Interlocked.Read(ref deleted), latencies);
    }

    private sealed record ProbeResult(long Sent, long Deleted, IReadOnlyList<(double At, double Milliseconds)> Latencies)
    {
        public override string ToString()
        {
            var sorted = Latencies.Select(l => l.Milliseconds).Order().ToArray();
            var worst = Latencies.MaxBy(l => l.Milliseconds);
            var stalled = Latencies.Where(l => l.Milliseconds > 1000).Sum(l => Math.Min(l.Milliseconds, Patience.TotalMilliseconds)) / 1000;
            return string.Create(CultureInfo.InvariantCulture,
                $"{Sent:N0} sent, {Deleted:N0} deleted; properties call p50 {Percentile(sorted, 50):N0} ms, p99 {Percentile(sorted, 99):N0} ms, " +
                $"worst {(double.IsInfinity(worst.Milliseconds) ? "no answer" : $"{worst.Milliseconds:N0} ms")} at {worst.At:N0} s; {stalled:N1} s spent in calls over 1 s");
        }

        private static double Percentile(double[] sorted, double p) =>
            sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
