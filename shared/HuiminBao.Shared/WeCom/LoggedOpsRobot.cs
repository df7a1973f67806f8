using HuiminBao.Diagnostics;
using Microsoft.Extensions.Logging;

namespace HuiminBao.WeCom;

/// <summary>The ops "robot" when no webhook is configured (<c>WeCom:WebhookUrl</c> empty): each message becomes a log line.</summary>
public sealed partial class LoggedOpsRobot(ILogger<LoggedOpsRobot> logger) : IOpsRobot
{
    public Task<RobotDelivery> SendMarkdownAsync(string markdown, CancellationToken cancellationToken)
    {
        LogMessage(logger, markdown);
        return Task.FromResult(RobotDelivery.Sent);
    }

    [LoggerMessage(EventId = LogEvents.WeCom + 1, Level = LogLevel.Information, Message = "Ops message (WeCom:WebhookUrl not set, logged only): {Markdown}")]
    private static partial void LogMessage(ILogger logger, string markdown);
}
