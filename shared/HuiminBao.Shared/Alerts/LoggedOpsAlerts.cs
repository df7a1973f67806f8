using HuiminBao.Diagnostics;
using Microsoft.Extensions.Logging;

namespace HuiminBao.Alerts;

/// <summary>The alert sink when no WeCom robot is configured: a structured log line per alert.</summary>
public sealed partial class LoggedOpsAlerts(ILogger<LoggedOpsAlerts> logger) : IOpsAlerts
{
    public Task RaiseAsync(OpsAlert alert, CancellationToken cancellationToken)
    {
        LogAlert(logger, alert.Kind, alert.Text);
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = LogEvents.Alerts + 1, Level = LogLevel.Warning, Message = "Ops alert {Kind}: {Text}")]
    private static partial void LogAlert(ILogger logger, string kind, string text);
}
