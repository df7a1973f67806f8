using Microsoft.Extensions.Logging;

namespace HuiminBao.Reviews;

/// <summary>
/// Tells ops that something needs them. With <c>WeCom:WebhookUrl</c> set this goes to the WeCom
/// group robot (rate limited and coalesced); without it, alerts are logged only, as DESIGN.md says.
/// </summary>
public interface IOpsAlerts
{
    Task RaiseAsync(OpsAlert alert, CancellationToken cancellationToken);
}

/// <param name="Kind">One of <see cref="OpsAlertKinds"/>; alerts of a kind are coalesced.</param>
/// <param name="Text">zh-CN text for the ops group; never personal data.</param>
public sealed record OpsAlert(string Kind, string Text);

public static class OpsAlertKinds
{
    public const string SignUpPoisoned = "signup-poisoned";
    public const string NotificationConfiguration = "notification-configuration";
    public const string InsuranceCircuitOpen = "insurance-circuit-open";
}

/// <summary>The alert sink when no WeCom robot is configured: a structured log line per alert.</summary>
public sealed partial class LoggedOpsAlerts(ILogger<LoggedOpsAlerts> logger) : IOpsAlerts
{
    public Task RaiseAsync(OpsAlert alert, CancellationToken cancellationToken)
    {
        LogAlert(logger, alert.Kind, alert.Text);
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Ops alert {Kind}: {Text}")]
    private static partial void LogAlert(ILogger logger, string kind, string text);
}
