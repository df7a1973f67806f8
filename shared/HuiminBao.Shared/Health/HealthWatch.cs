using HuiminBao.Alerts;
using HuiminBao.Diagnostics;
using HuiminBao.Timers;
using Microsoft.Extensions.Logging;

namespace HuiminBao.Health;

/// <summary>
/// Once a minute (a timer in both hosts): reads the pipeline's health and tells ops when sign-ups
/// wait too long, from intake to decision (<see cref="HealthOptions.LagAlertAfter"/>) or on the
/// queue (<see cref="HealthOptions.BacklogAlertAfter"/>). The alert sink coalesces repeats, so a long
/// backlog is one message per window, not one a minute.
/// </summary>
public sealed partial class HealthWatch(HealthQuery health, IOpsAlerts alerts, ILogger<HealthWatch> logger) : ITimerHandler
{
    public const string FunctionName = "WatchPipelineHealth";

    public async Task RunAsync(TimerFiring firing, CancellationToken cancellationToken)
    {
        var reading = await health.GetAsync(cancellationToken);
        if (reading.Warnings.Contains("lag"))
        {
            LogLagging(logger, reading.LagP95Seconds ?? 0);
            await alerts.RaiseAsync(HealthAlerts.Lagging(reading), cancellationToken);
        }
        if (reading.Warnings.Contains("backlog"))
        {
            var signups = reading.Queues.First(q => q.Queue == Queues.QueueNames.SignUps);
            LogBacklog(logger, signups.Messages, signups.OldestAgeSeconds ?? 0);
            await alerts.RaiseAsync(HealthAlerts.Backlog(signups), cancellationToken);
        }
    }

    [LoggerMessage(EventId = LogEvents.Health + 11, Level = LogLevel.Warning, Message = "Sign-ups take {P95Seconds} s (p95) from intake to decision")]
    private static partial void LogLagging(ILogger logger, double p95Seconds);

    [LoggerMessage(EventId = LogEvents.Health + 12, Level = LogLevel.Warning, Message = "Sign-up queue backlog: {Messages} messages, the oldest {OldestSeconds} s old")]
    private static partial void LogBacklog(ILogger logger, int messages, double oldestSeconds);
}
