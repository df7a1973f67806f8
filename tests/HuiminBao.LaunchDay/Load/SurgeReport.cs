using System.Globalization;
using HuiminBao.LaunchDay.Audit;

namespace HuiminBao.LaunchDay.Load;

/// <summary>Prints the surge's figures beside its targets, and a timeline that shows where the time went.</summary>
public static class SurgeReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <param name="impliedRate">The ceiling-implied processing rate the surge was offered a multiple of.</param>
    public static void Print(SurgeResult surge, double impliedRate, IReadOnlyList<Ceiling> ceilings, bool separateProcesses, AuditReport? audit)
    {
        Console.WriteLine(string.Create(Invariant, $"-- surge: {surge.OfferedRate:N1}/s offered for {surge.SurgeSeconds:N0} s ({surge.OfferedRate / impliedRate:N2}× the ceiling-implied {impliedRate:N1}/s), then a drain"));
        Console.WriteLine(string.Create(Invariant, $"   offered {surge.Offered:N0}, accepted {surge.Accepted:N0}, refused {surge.Refused:N0}; statuses {surge.Latency.Statuses()}"));
        Console.WriteLine(string.Create(Invariant, $"   intake p50/p95/p99/max {surge.Latency.Percentile(50):N0}/{surge.Latency.Percentile(95):N0}/{surge.Latency.Percentile(99):N0}/{surge.Latency.Percentile(100):N0} ms, counted from when each request was due"));
        Console.WriteLine(string.Create(Invariant, $"   processed during the surge {surge.ProcessedPerSecondDuringSurge:N1}/s = {surge.ProcessedPerSecondDuringSurge / impliedRate:P0} of {impliedRate:N1}/s; "
            + $"during the drain {surge.ProcessedPerSecondDuringDrain:N1}/s = {surge.ProcessedPerSecondDuringDrain / impliedRate:P0} ({surge.Notified - surge.NotifiedDuringSurge:N0} in {surge.DrainSeconds:N0} s{(surge.Drained ? "" : ", NOT DRAINED")})"));
        Console.WriteLine(string.Create(Invariant, $"   peak backlog {surge.PeakBacklog:N0} sign-ups; DevHost working set peak {surge.PeakSampledWorkingSetBytes / 1048576.0:N0} MiB sampled, {surge.PeakWorkingSetBytes / 1048576.0:N0} MiB process peak"));
        PrintMix("surge", surge.SurgeStorageCalls, surge.NotifiedDuringSurge, ceilings, separateProcesses);
        PrintMix("drain", surge.DrainStorageCalls, surge.Notified - surge.NotifiedDuringSurge, ceilings, separateProcesses);
        if (audit is not null)
            Console.WriteLine($"   audit of the whole run: {audit}");
        PrintTimeline(surge);

        Console.WriteLine("Surge targets:");
        Target("0 refusals from intake", surge.Refused == 0, $"{surge.Refused:N0} ({surge.Latency.Statuses()})");
        Target("intake p99 ≤ 300 ms", surge.Latency.Percentile(99) <= 300, string.Create(Invariant, $"{surge.Latency.Percentile(99):N0} ms"));
        Target("intake p50 ≤ 50 ms", surge.Latency.Percentile(50) <= 50, string.Create(Invariant, $"{surge.Latency.Percentile(50):N0} ms"));
        Target("processing ≥ 0.8 of the ceiling-implied rate during the surge", surge.ProcessedPerSecondDuringSurge >= 0.8 * impliedRate, string.Create(Invariant, $"{surge.ProcessedPerSecondDuringSurge / impliedRate:N2}"));
        Target("processing ≥ 0.9 of the ceiling-implied rate during the drain", surge.Drained && surge.ProcessedPerSecondDuringDrain >= 0.9 * impliedRate, string.Create(Invariant, $"{surge.ProcessedPerSecondDuringDrain / impliedRate:N2}"));
        Target("DevHost peak working set ≤ 400 MB", surge.PeakWorkingSetBytes <= 400L * 1000 * 1000, string.Create(Invariant, $"{surge.PeakWorkingSetBytes / 1e6:N0} MB"));
        Target("audit passes", audit is { Passed: true }, audit is null ? "not run" : audit.Passed ? "all invariants hold" : $"{audit.Violations.Count} violations");
    }

    private static void PrintMix(string name, IReadOnlyDictionary<string, long> calls, int processed, IReadOnlyList<Ceiling> ceilings, bool separateProcesses)
    {
        if (processed == 0)
            return;
        var perSignUp = calls.Where(p => p.Value > 0).ToDictionary(p => p.Key, p => p.Value / (double)processed);
        var implied = CeilingModel.For(perSignUp, ceilings);
        Console.WriteLine(string.Create(Invariant, $"   storage calls per processed sign-up ({name}): {perSignUp.Values.Sum():N2} = ")
            + string.Join(", ", perSignUp.OrderByDescending(p => p.Value).Select(p => string.Create(Invariant, $"{p.Key} {p.Value:N2}")))
            + string.Create(Invariant, $"; this mix allows {(separateProcesses ? implied.SeparateProcesses : implied.OneProcess):N0}/s (queue {1 / implied.QueueSeconds:N0}/s, table {1 / implied.TableSeconds:N0}/s)"));
    }

    /// <summary>Every 15 s: accepted and processed per second over the window, backlog, working set, the gate and the table lanes.</summary>
    private static void PrintTimeline(SurgeResult surge)
    {
        Console.WriteLine("   timeline: t s | accepted/s | processed/s | backlog | working set MiB | gate limit/running/waiting | intake p90 ms (sign-ups) | throttled | table lanes in flight/intake waiting/other waiting");
        SurgeSample? previous = null;
        foreach (var sample in surge.Series.Where((_, i) => i % 15 == 0).Concat(surge.Series.Count > 0 ? [surge.Series[^1]] : []))
        {
            if (previous is not null && sample.Seconds - previous.Seconds > 0.5)
            {
                var span = sample.Seconds - previous.Seconds;
                var gate = sample.Pressure is { } p ? string.Create(Invariant, $"{p.Limit}/{p.Running}/{p.Waiting} | {p.IntakeP90Milliseconds:N0} ({p.IntakeSamples}) | {p.Throttled}") : "- | - | -";
                var lanes = sample.Lanes?.GetValueOrDefault("table") is { } t ? string.Create(Invariant, $"{t.InFlight}/{t.IntakeWaiting}/{t.OtherWaiting}") : "-";
                Console.WriteLine(string.Create(Invariant,
                    $"   {sample.Seconds,5:N0} | {(sample.Accepted - previous.Accepted) / span,8:N1} | {(sample.Notified - previous.Notified) / span,8:N1} | {sample.Backlog,7:N0} | {sample.WorkingSetBytes / 1048576.0,5:N0} | {gate} | {lanes}"));
            }
            previous = sample;
        }
    }

    private static void Target(string what, bool met, string measured) =>
        Console.WriteLine($"   [{(met ? "met" : "MISSED")}] {what}: {measured}");
}
