using System.Collections.Concurrent;
using HuiminBao.Eligibility;

namespace HuiminBao.Tests.Eligibility;

internal sealed class RecordingCircuitObserver : IInsuranceCircuitObserver
{
    public ConcurrentQueue<string> Events { get; } = new();

    public void Opened(TimeSpan breakDuration) => Events.Enqueue("opened");

    public void Closed() => Events.Enqueue("closed");
}
