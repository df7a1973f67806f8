namespace HuiminBao.Enrollment.Eligibility;

/// <summary>
/// Told when the circuit breaker in front of the 医保 service opens and closes. While it is open,
/// every sign-up waits on the queue, so ops need to hear about it; <see cref="AlertingInsuranceCircuitObserver"/>
/// logs it and alerts them.
/// </summary>
public interface IInsuranceCircuitObserver
{
    /// <summary>The service failed often enough that calls stop for <paramref name="breakDuration"/>.</summary>
    void Opened(TimeSpan breakDuration);

    /// <summary>A probe call succeeded; calls flow again.</summary>
    void Closed();
}
