namespace HuiminBao.StandIns;

/// <summary>A scripted misbehaviour of <c>subscribeMessage.send</c> for one request.</summary>
public sealed record SendFault
{
    private SendFault()
    {
    }

    public int? ErrorCode { get; private init; }

    public int? HttpStatus { get; private init; }

    public TimeSpan? Hang { get; private init; }

    /// <summary>HTTP 200 with this errcode (-1 busy, 45009 quota, 43101 not subscribed...).</summary>
    public static SendFault Answer(int errorCode) => new() { ErrorCode = errorCode };

    /// <summary>An HTTP error from WeChat's front end (502, 503...).</summary>
    public static SendFault Status(int httpStatus) => new() { HttpStatus = httpStatus };

    /// <summary>
    /// No answer for this long; a caller that gives up earlier aborts the request and WeChat never
    /// processes it (if the caller waits it out, the send goes through normally).
    /// </summary>
    public static SendFault Stall(TimeSpan duration) => new() { Hang = duration };
}

/// <summary>A subscribe message WeChat accepted, as the stand-in recorded it for assertions.</summary>
public sealed record AcceptedSubscribeMessage(
    long MsgId,
    string ToUser,
    string TemplateId,
    string? Page,
    string? MiniProgramState,
    string? Lang,
    IReadOnlyDictionary<string, string> Data);
