namespace HuiminBao.Timers;

/// <summary>
/// A timer-triggered stage. The Functions app calls it from a <c>[TimerTrigger("%Setting%")]</c>;
/// the local host from its timer runner, on the same NCRONTAB schedule (UTC, as Functions on Linux
/// schedules). A timer can fire twice (two instances, a restart, a past-due catch-up), so handlers
/// must make their effect happen once themselves.
/// </summary>
public interface ITimerHandler
{
    Task RunAsync(TimerFiring firing, CancellationToken cancellationToken);
}

/// <summary>One firing: the occurrence it is for, when it actually ran, and whether it ran late (Functions' <c>IsPastDue</c>).</summary>
public sealed record TimerFiring(DateTimeOffset ScheduledAt, DateTimeOffset FiredAt, bool IsPastDue)
{
    /// <summary>A firing for the occurrence at <paramref name="scheduledAt"/>, as the Functions trigger reports one.</summary>
    public static TimerFiring At(DateTimeOffset scheduledAt, DateTimeOffset firedAt) =>
        new(scheduledAt, firedAt, firedAt - scheduledAt > PastDueAfter);

    /// <summary>Late by more than this counts as past due.</summary>
    public static readonly TimeSpan PastDueAfter = TimeSpan.FromMinutes(1);
}
