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

    /// <summary>
    /// Intake's p90 time to make a sign-up durable and queued that processing keeps it under: above
    /// it, processing runs fewer items at once. Intake's own floor locally is 20–30 ms (two storage
    /// round trips and the queue's 20 ms wait for company).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.005", "00:00:10")]
    public TimeSpan IntakeLatencyTarget { get; set; } = TimeSpan.FromMilliseconds(60);

    /// <summary>Items of each stage that always may run, however pressed intake is, so processing never starves.</summary>
    [Range(1, 1000)]
    public int MinConcurrency { get; set; } = 4;

    /// <summary>Items of each stage that may run at most, reached while intake is quiet.</summary>
    [Range(1, 10000)]
    public int MaxConcurrency { get; set; } = 256;

    /// <summary>How often the limit is reconsidered from the last interval's signals.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMilliseconds(250);
}
