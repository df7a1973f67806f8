using Azure;
using Azure.Data.Tables;

namespace HuiminBao.Health;

/// <summary>
/// One instance's counts for one minute (table <c>health</c>): partition = the Beijing day
/// (<c>yyyyMMdd</c>), row key = <c>{unix minute}-{instance}</c>, so the last minutes of every
/// instance are one range query. Rewritten whole at each flush, so a repeat is harmless.
/// </summary>
public sealed class HealthRow : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public long Minute { get; set; }
    public long Accepted { get; set; }
    public long Decided { get; set; }
    public long SendFailures { get; set; }

    /// <summary>Comma-separated counts per <see cref="Diagnostics.PipelineMetrics.LagBucketSeconds"/> bucket.</summary>
    public string Lag { get; set; } = "";

    public bool CircuitOpen { get; set; }
}
