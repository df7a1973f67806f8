using HuiminBao.Diagnostics;
using HuiminBao.Hosting;
using HuiminBao.Timers;

namespace HuiminBao.DevHost.Timers;

/// <summary>
/// Runs one timer the way the Functions timer trigger does: sleep until the next occurrence of the
/// schedule (UTC), run the handler in a fresh scope, log a failure and carry on with the next
/// occurrence. Missed occurrences are not replayed one by one: a host that wakes late fires once
/// (past due) and schedules on from now. Time comes from the injected <see cref="TimeProvider"/>,
/// so tests move the clock instead of waiting.
/// </summary>
public sealed partial class TimerListener(
    TimerTrigger trigger,
    CronSchedule schedule,
    IServiceScopeFactory scopes,
    TimeProvider time,
    ILogger<TimerListener> logger) : BackgroundService
{
    public TimerTrigger Trigger => trigger;

    public CronSchedule Schedule => schedule;

    /// <summary>Task.Delay with a TimeProvider takes at most ~49 days; a long wait is taken in steps.</summary>
    private static readonly TimeSpan MaxSleep = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // BackgroundService runs this off the host's start path, so tests that move a fake clock
        // wait for this line first; a clock moved earlier would simply be read as the start time.
        var next = schedule.NextAfter(time.GetUtcNow());
        LogScheduled(logger, trigger.Function, schedule.Expression, next);
        try
        {
            while (next is { } due && !stoppingToken.IsCancellationRequested)
            {
                var wait = due - time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait < MaxSleep ? wait : MaxSleep, time, stoppingToken);
                    continue;
                }

                var firedAt = time.GetUtcNow();
                await FireAsync(TimerFiring.At(due, firedAt), stoppingToken);
                next = schedule.NextAfter(firedAt > due ? firedAt : due);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
        }
    }

    private async Task FireAsync(TimerFiring firing, CancellationToken stoppingToken)
    {
        LogFiring(logger, trigger.Function, firing.ScheduledAt, firing.IsPastDue);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await trigger.Invoke(scope.ServiceProvider, firing, stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            LogFailed(logger, e, trigger.Function, firing.ScheduledAt);
        }
    }

    [LoggerMessage(EventId = LogEvents.LocalTimers + 1, Level = LogLevel.Information, Message = "Timer {Timer} on '{Schedule}' (UTC); next at {Next:o}")]
    private static partial void LogScheduled(ILogger logger, string timer, string schedule, DateTimeOffset? next);

    [LoggerMessage(EventId = LogEvents.LocalTimers + 2, Level = LogLevel.Information, Message = "Timer {Timer} firing for {ScheduledAt:o} (past due: {IsPastDue})")]
    private static partial void LogFiring(ILogger logger, string timer, DateTimeOffset scheduledAt, bool isPastDue);

    [LoggerMessage(EventId = LogEvents.LocalTimers + 3, Level = LogLevel.Error, Message = "Timer {Timer} failed for {ScheduledAt:o}; next occurrence as scheduled")]
    private static partial void LogFailed(ILogger logger, Exception exception, string timer, DateTimeOffset scheduledAt);
}
