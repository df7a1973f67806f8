namespace HuiminBao.Health;

/// <summary>
/// <c>GET /api/ops/health</c>: whether the pipeline keeps up, for launch day. Aggregates only;
/// times in Beijing time, as everything ops read.
/// </summary>
/// <param name="Minutes">Sign-ups accepted and decided per minute, oldest first, the current minute last.</param>
/// <param name="LagP50Seconds">Time from intake to decision, 50th percentile over <paramref name="Minutes"/> (a bucket's upper bound); null with nothing decided.</param>
/// <param name="Queues">Each queue's depth and how long its oldest message has waited.</param>
/// <param name="NeedsReview">Sign-ups waiting for ops after their processing kept failing (counted up to 1000).</param>
/// <param name="InsuranceCircuit"><c>closed</c>, <c>open</c> (some instance stopped asking the 医保 service), or <c>n/a</c> in roster mode.</param>
/// <param name="SendFailures">WeChat notifications that failed or must be retried, over <paramref name="Minutes"/>.</param>
public sealed record PipelineHealth(
    DateTimeOffset AsOf,
    IReadOnlyList<MinuteCount> Minutes,
    double AcceptedPerMinute,
    double? LagP50Seconds,
    double? LagP95Seconds,
    IReadOnlyList<QueueHealth> Queues,
    int NeedsReview,
    string InsuranceCircuit,
    long SendFailures,
    IReadOnlyList<string> Warnings);

public sealed record MinuteCount(DateTimeOffset Minute, long Accepted, long Decided);

/// <param name="OldestAgeSeconds">How long the message at the front has waited; null for an empty queue.</param>
public sealed record QueueHealth(string Queue, int Messages, double? OldestAgeSeconds);
