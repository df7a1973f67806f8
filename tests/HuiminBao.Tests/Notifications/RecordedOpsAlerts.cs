using System.Collections.Concurrent;
using HuiminBao.Alerts;

namespace HuiminBao.Tests.Notifications;

/// <summary>The ops alert sink, keeping what it was told.</summary>
public sealed class RecordedOpsAlerts : IOpsAlerts
{
    private readonly ConcurrentQueue<OpsAlert> _alerts = new();

    public IReadOnlyCollection<OpsAlert> Raised => _alerts;

    public Task RaiseAsync(OpsAlert alert, CancellationToken cancellationToken)
    {
        _alerts.Enqueue(alert);
        return Task.CompletedTask;
    }
}
