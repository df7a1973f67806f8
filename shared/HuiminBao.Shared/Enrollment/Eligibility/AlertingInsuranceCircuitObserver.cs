using HuiminBao.Alerts;
using HuiminBao.Diagnostics;
using Microsoft.Extensions.Logging;

namespace HuiminBao.Enrollment.Eligibility;

/// <summary>
/// Tells ops when the circuit to the 医保 service opens: from then on every sign-up waits on the
/// queue until the service answers again. The breaker's callbacks are synchronous, so the alert is
/// raised without holding them up; the alert sink coalesces and rate-limits on its own.
/// </summary>
public sealed partial class AlertingInsuranceCircuitObserver(IOpsAlerts alerts, PipelineMetrics metrics, ILogger<AlertingInsuranceCircuitObserver> logger) : IInsuranceCircuitObserver
{
    public void Opened(TimeSpan breakDuration)
    {
        LogOpened(logger, breakDuration.TotalSeconds);
        metrics.CircuitChanged(open: true);
        _ = RaiseAsync(new OpsAlert(OpsAlertKinds.InsuranceCircuitOpen, $"医保服务连续失败，已暂停查询 {breakDuration.TotalSeconds:0} 秒；投保申请在队列中等待，服务恢复后自动继续"));
    }

    public void Closed()
    {
        LogClosed(logger);
        metrics.CircuitChanged(open: false);
    }

    private async Task RaiseAsync(OpsAlert alert)
    {
        try
        {
            await alerts.RaiseAsync(alert, CancellationToken.None);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or Azure.RequestFailedException)
        {
            LogAlertFailed(logger, e.GetType().Name);
        }
    }

    [LoggerMessage(EventId = LogEvents.Eligibility + 3, Level = LogLevel.Warning, Message = "医保 service circuit opened: lookups refused for {BreakSeconds} s, sign-ups wait on the queue")]
    private static partial void LogOpened(ILogger logger, double breakSeconds);

    [LoggerMessage(EventId = LogEvents.Eligibility + 4, Level = LogLevel.Information, Message = "医保 service circuit closed: lookups flow again")]
    private static partial void LogClosed(ILogger logger);

    [LoggerMessage(EventId = LogEvents.Eligibility + 5, Level = LogLevel.Warning, Message = "Could not raise the circuit-open alert: {Error}")]
    private static partial void LogAlertFailed(ILogger logger, string error);
}
