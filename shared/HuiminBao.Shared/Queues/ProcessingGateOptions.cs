using System.ComponentModel.DataAnnotations;

namespace HuiminBao.Queues;

/// <summary>
/// <c>ProcessingGate:*</c>: how far processing yields to intake (<see cref="ProcessingGate"/>).
/// The same settings in both hosts; in Azure they are app settings (<c>ProcessingGate__MaxConcurrency</c>).
/// </summary>
public sealed class ProcessingGateOptions
{
    public const string Section = "ProcessingGate";

    /// <summary>Off: processing runs as many items at once as the host delivers, as before the gate.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Items of each stage that always may run, however pressed intake is, so processing never starves.</summary>
    [Range(1, 1000)]
    public int MinConcurrency { get; set; } = 8;

    /// <summary>Items of each stage that may run at most: where the limit starts, and returns once storage stops throttling.</summary>
    [Range(1, 10000)]
    public int MaxConcurrency { get; set; } = 256;

    /// <summary>How often the limit is reconsidered from the last interval's signals.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMilliseconds(250);
}
