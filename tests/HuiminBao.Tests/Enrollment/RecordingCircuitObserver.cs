using System.Collections.Concurrent;
using HuiminBao.Enrollment.Eligibility;

namespace HuiminBao.Tests.Enrollment;

internal sealed class RecordingCircuitObserver : IInsuranceCircuitObserver
{
    public ConcurrentQueue<string> Events { get; } = new();

    public void Opened(TimeSpan breakDuration) => Events.Enqueue("opened");

    public void Closed() => Events.Enqueue("closed");
}
