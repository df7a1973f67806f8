namespace HuiminBao.LaunchDay.Fault;

/// <summary>
/// The shape of a fault run: how many sign-ups arrive how fast, and which faults hit the pipeline
/// meanwhile. The defaults are the full run recorded in docs/BENCHMARKS.md; the CI test shrinks them.
/// </summary>
public sealed record FaultRunOptions
{
    public int SignUps { get; init; } = 50_000;

    /// <summary>Sign-ups arriving per second (a steady launch-day stream the pipeline can keep up with between faults).</summary>
    public double ArrivalsPerSecond { get; init; } = 60;

    /// <summary>Requests in flight at most; while the host is down they pile up to this and arrivals wait.</summary>
    public int MaxInFlight { get; init; } = 64;

    public int Seed { get; init; } = 2026;

    /// <summary>SIGKILLs of the local host, each followed by a restart on the same port.</summary>
    public int Kills { get; init; } = 5;

    /// <summary>How long a killed host stays down before it is started again (drawn between these).</summary>
    public TimeSpan MinKillDowntime { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxKillDowntime { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The 医保 service answers 503 for this long.</summary>
    public TimeSpan YibaoOutage { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>WeChat answers every subscribe send with errcode -1 (system busy) for this long.</summary>
    public TimeSpan WeChatBusy { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Azurite is stopped (SIGINT) and stays down this long before it starts again on the same data.</summary>
    public TimeSpan AzuriteDown { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a message a killed host was working on stays invisible (<c>DevHost:QueueLease</c>).
    /// Functions holds it for 10 minutes; shortened so the run doesn't wait that long for the redeliveries.
    /// </summary>
    public TimeSpan QueueLease { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The least time between the end of one fault and the start of the next, so each is recovered
    /// from (killed messages come back after <see cref="QueueLease"/> and are handled) before the next.
    /// </summary>
    public TimeSpan FaultGap { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long the pipeline may take to finish after the last arrival and the last fault.</summary>
    public TimeSpan DrainWithin { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>How long one sign-up may keep failing to get an answer before the client gives up on it.</summary>
    public TimeSpan GiveUpAfter { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>More DevHost settings (configuration keys), e.g. host.json overrides; none by default, so the run uses production's.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>Where to write everything the local host logged, across its restarts (none: not written).</summary>
    public string? HostLogPath { get; init; }

    public TimeSpan ArrivalWindow => TimeSpan.FromSeconds(SignUps / ArrivalsPerSecond);
}
