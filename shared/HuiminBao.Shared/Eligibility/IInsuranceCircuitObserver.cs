using Microsoft.Extensions.Logging;

namespace HuiminBao.Eligibility;

/// <summary>
/// Told when the circuit breaker in front of the 医保 service opens and closes. While it is open,
/// every sign-up waits on the queue, so ops need to hear about it; the default only logs, and the
/// alerting stage replaces it.
/// </summary>
public interface IInsuranceCircuitObserver
{
    /// <summary>The service failed often enough that calls stop for <paramref name="breakDuration"/>.</summary>
    void Opened(TimeSpan breakDuration);

    /// <summary>A probe call succeeded; calls flow again.</summary>
    void Closed();
}

/// <summary>The default observer: a warning when the breaker opens, information when it closes.</summary>
public sealed partial class LoggingInsuranceCircuitObserver(ILogger<LoggingInsuranceCircuitObserver> logger) : IInsuranceCircuitObserver
{
    public void Opened(TimeSpan breakDuration) => LogOpened(logger, breakDuration.TotalSeconds);

    public void Closed() => LogClosed(logger);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "医保 service circuit opened: lookups refused for {BreakSeconds} s, sign-ups wait on the queue")]
    private static partial void LogOpened(ILogger logger, double breakSeconds);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "医保 service circuit closed: lookups flow again")]
    private static partial void LogClosed(ILogger logger);
}
