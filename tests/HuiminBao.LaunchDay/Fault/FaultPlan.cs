namespace HuiminBao.LaunchDay.Fault;

public enum FaultKind
{
    KillHost,
    YibaoOutage,
    WeChatBusy,
    AzuriteRestart,
}

/// <summary>One fault: when it starts (from the run's start) and how long it is planned to last.</summary>
public sealed record PlannedFault(FaultKind Kind, TimeSpan At, TimeSpan Duration);

/// <summary>
/// Draws when the faults strike: in a seeded random order, at random moments in the arrival window,
/// each at least <see cref="FaultRunOptions.FaultGap"/> after the previous one ended. Random gaps are
/// drawn as a sorted set of points in the window's slack, which spreads the faults uniformly under
/// that spacing; when the window is too short for them all, they run back to back past its end.
/// </summary>
public static class FaultPlan
{
    /// <summary>Azurite takes a few seconds to start again; counted so the next fault keeps its gap.</summary>
    private static readonly TimeSpan AzuriteStart = TimeSpan.FromSeconds(5);

    public static IReadOnlyList<PlannedFault> Draw(FaultRunOptions options)
    {
        var random = new Random(options.Seed);
        var faults = new List<(FaultKind Kind, TimeSpan Duration)>();
        for (var i = 0; i < options.Kills; i++)
        {
            var downtime = options.MinKillDowntime + (options.MaxKillDowntime - options.MinKillDowntime) * random.NextDouble();
            faults.Add((FaultKind.KillHost, downtime));
        }
        if (options.YibaoOutage > TimeSpan.Zero)
            faults.Add((FaultKind.YibaoOutage, options.YibaoOutage));
        if (options.WeChatBusy > TimeSpan.Zero)
            faults.Add((FaultKind.WeChatBusy, options.WeChatBusy));
        if (options.AzuriteDown > TimeSpan.Zero)
            faults.Add((FaultKind.AzuriteRestart, options.AzuriteDown));
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(faults));

        var windowStart = options.ArrivalWindow * 0.05;
        var window = options.ArrivalWindow * 0.9 - windowStart;
        var busy = faults.Aggregate(TimeSpan.Zero, (sum, f) => sum + Occupies(f.Kind, f.Duration, options));
        var slack = window > busy ? window - busy : TimeSpan.Zero;
        var points = Enumerable.Range(0, faults.Count).Select(_ => slack * random.NextDouble()).Order().ToList();

        var plan = new List<PlannedFault>(faults.Count);
        var before = TimeSpan.Zero;
        for (var i = 0; i < faults.Count; i++)
        {
            plan.Add(new PlannedFault(faults[i].Kind, windowStart + points[i] + before, faults[i].Duration));
            before += Occupies(faults[i].Kind, faults[i].Duration, options);
        }
        return plan;
    }

    private static TimeSpan Occupies(FaultKind kind, TimeSpan duration, FaultRunOptions options) =>
        duration + options.FaultGap + (kind == FaultKind.AzuriteRestart ? AzuriteStart : TimeSpan.Zero);
}
