namespace HuiminBao.WeCom;

/// <summary>
/// Where messages for the ops group go: the WeCom robot when <c>WeCom:WebhookUrl</c> is set,
/// otherwise the log (<see cref="LoggedOpsRobot"/>). Implementations don't throw for delivery
/// problems; they say whether to try again later.
/// </summary>
public interface IOpsRobot
{
    Task<RobotDelivery> SendMarkdownAsync(string markdown, CancellationToken cancellationToken);
}

public enum RobotDeliveryStatus
{
    /// <summary>Accepted by the robot: never send it again.</summary>
    Sent,

    /// <summary>Not delivered, for a reason that passes (rate limit, outage): send again after <see cref="RobotDelivery.RetryAfter"/>.</summary>
    RetryLater,

    /// <summary>Refused for a reason that won't pass by itself (bad webhook key, malformed message).</summary>
    Rejected,
}

public sealed record RobotDelivery(RobotDeliveryStatus Status, int ErrCode = 0, string? ErrMsg = null, TimeSpan RetryAfter = default)
{
    public static readonly RobotDelivery Sent = new(RobotDeliveryStatus.Sent);

    public static RobotDelivery Later(TimeSpan retryAfter, int errCode = 0, string? errMsg = null) => new(RobotDeliveryStatus.RetryLater, errCode, errMsg, retryAfter);

    public static RobotDelivery Rejected(int errCode, string? errMsg) => new(RobotDeliveryStatus.Rejected, errCode, errMsg);

    /// <summary>For logs and the report marker: errcode and errmsg, which never hold personal data.</summary>
    public string Describe() => Status == RobotDeliveryStatus.Sent ? "ok" : $"{Status} errcode={ErrCode} {ErrMsg}".Trim();
}
