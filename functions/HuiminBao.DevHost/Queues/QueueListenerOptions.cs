using System.ComponentModel.DataAnnotations;

namespace HuiminBao.DevHost.Queues;

/// <summary>
/// host.json <c>extensions.queues</c>, bound from <c>AzureFunctionsJobHost:extensions:queues</c> with
/// the Functions defaults, so the local listeners behave like the Functions queue trigger.
/// </summary>
public sealed class QueueListenerOptions
{
    public const string Section = "AzureFunctionsJobHost:extensions:queues";

    [Range(1, 32)]
    public int BatchSize { get; set; } = 16;

    /// <summary>-1 means the Functions default, half the batch size.</summary>
    [Range(-1, 1000)]
    public int NewBatchThreshold { get; set; } = -1;

    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan MaxPollingInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a failed message stays invisible before its retry.</summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.Zero;

    [Range(1, 100)]
    public int MaxDequeueCount { get; set; } = 5;

    public string MessageEncoding { get; set; } = "base64";

    /// <summary>
    /// Not a host.json setting: how long a received message stays invisible while its handler runs
    /// (renewed at half-time). The Functions host uses 10 minutes; tests that kill hosts shorten it
    /// with <c>DevHost:QueueLease</c>.
    /// </summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(10);

    public int EffectiveNewBatchThreshold => NewBatchThreshold >= 0 ? NewBatchThreshold : BatchSize / 2;
}
