using System.Diagnostics;
using HuiminBao.LaunchDay.Harness;

namespace HuiminBao.LaunchDay.Load;

/// <summary>
/// Launch day's shape: one-person sign-ups offered open-loop at a multiple of what processing can
/// do, then nothing while the backlog drains. Every second it samples what was accepted, what was
/// fully processed (the WeChat stand-in's count), the backlog between them and the DevHost's
/// working set, so the report can say where the time went.
/// </summary>
public static class SurgePhase
{
    public static async Task<SurgeResult> RunAsync(PipelineStack stack, Households households, double rate, TimeSpan duration, TimeSpan drainLimit, SignUpOutcomes outcomes)
    {
        Console.WriteLine($"-- surge: one-person sign-ups offered at {rate:N1}/s for {duration.TotalSeconds:N0} s, then a drain");
        var before = await HostMetrics.ReadAsync(stack);
        var notifiedBefore = stack.WeChat.Accepted.Count;
        var acceptedBefore = outcomes.AcceptedCount;
        int Accepted() => outcomes.AcceptedCount - acceptedBefore;
        var clock = Stopwatch.StartNew();
        using var sampling = new CancellationTokenSource();
        var samples = SampleAsync(stack, clock, Accepted, notifiedBefore, sampling.Token);

        // Processing during the surge is what was notified by the time the last request was due.
        var surgeEnd = Task.Run(async () =>
        {
            await Task.Delay(duration);
            return (clock.Elapsed.TotalSeconds, Notified: stack.WeChat.Accepted.Count - notifiedBefore);
        });
        var recorder = await SignUpLoad.OfferedAsync(stack, () => households.Next(1), rate, duration, outcomes, CancellationToken.None);
        var accepted = Accepted();
        var (surgeSeconds, notifiedInSurge) = await surgeEnd;
        var answeredSeconds = clock.Elapsed.TotalSeconds;
        var afterSurge = await HostMetrics.ReadAsync(stack);

        var deadline = clock.Elapsed + drainLimit;
        while (stack.WeChat.Accepted.Count - notifiedBefore < accepted && clock.Elapsed < deadline)
            await Task.Delay(200);
        var drainedSeconds = clock.Elapsed.TotalSeconds;
        var notified = stack.WeChat.Accepted.Count - notifiedBefore;
        await sampling.CancelAsync();
        var series = await samples;
        var after = await HostMetrics.ReadAsync(stack);

        return new SurgeResult(rate, duration.TotalSeconds, recorder, accepted, surgeSeconds, notifiedInSurge, answeredSeconds, drainedSeconds, notified, series,
            afterSurge.Since(before), after.Since(afterSurge), after.PeakWorkingSetBytes);
    }

    private static async Task<List<SurgeSample>> SampleAsync(PipelineStack stack, Stopwatch clock, Func<int> accepted, int notifiedBefore, CancellationToken cancellationToken)
    {
        var series = new List<SurgeSample>();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var metrics = await HostMetrics.ReadAsync(stack);
                series.Add(new SurgeSample(clock.Elapsed.TotalSeconds, accepted(), stack.WeChat.Accepted.Count - notifiedBefore, metrics.WorkingSetBytes, metrics.Pressure, metrics.Lanes));
                await Task.Delay(1000, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (HttpRequestException e)
        {
            Console.Error.WriteLine($"   sampling stopped: {e.Message}");
        }
        return series;
    }
}

/// <summary>One second of the surge: totals so far, the DevHost's working set, its processing gate and storage lanes.</summary>
public sealed record SurgeSample(double Seconds, int Accepted, int Notified, long WorkingSetBytes, PressureGauge? Pressure, IReadOnlyDictionary<string, LanesGauge>? Lanes)
{
    public int Backlog => Accepted - Notified;
}

/// <summary>The surge's figures: what was offered and accepted, how fast it was processed during the surge and the drain.</summary>
public sealed record SurgeResult(
    double OfferedRate,
    double SurgeSeconds,
    LatencyRecorder Latency,
    int Accepted,
    double SurgeEndSeconds,
    int NotifiedDuringSurge,
    double AnsweredSeconds,
    double DrainedSeconds,
    int Notified,
    IReadOnlyList<SurgeSample> Series,
    IReadOnlyDictionary<string, long> SurgeStorageCalls,
    IReadOnlyDictionary<string, long> DrainStorageCalls,
    long PeakWorkingSetBytes)
{
    public int Offered => Latency.Count;

    public int Refused => Offered - Accepted;

    public double ProcessedPerSecondDuringSurge => NotifiedDuringSurge / SurgeEndSeconds;

    public double DrainSeconds => DrainedSeconds - SurgeEndSeconds;

    public double ProcessedPerSecondDuringDrain => DrainSeconds <= 0 ? double.NaN : (Notified - NotifiedDuringSurge) / DrainSeconds;

    public bool Drained => Notified >= Accepted;

    public int PeakBacklog => Series.Count == 0 ? 0 : Series.Max(s => s.Backlog);

    public long PeakSampledWorkingSetBytes => Series.Count == 0 ? 0 : Series.Max(s => s.WorkingSetBytes);
}
