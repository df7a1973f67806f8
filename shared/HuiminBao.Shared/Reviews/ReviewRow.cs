using Azure;
using Azure.Data.Tables;

namespace HuiminBao.Reviews;

/// <summary>
/// A sign-up whose message was poisoned, waiting for ops (table <c>reviews</c>, one partition per
/// source queue). It keeps the original message (person keys and masked names, no personal data)
/// so a requeue after a fix re-runs exactly what failed.
/// </summary>
public sealed class ReviewRow : ITableEntity
{
    public const string SignUpsPartition = "signups";

    public string PartitionKey { get; set; } = SignUpsPartition;
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string Message { get; set; } = "";
    public DateTimeOffset PoisonedAt { get; set; }
    public int PlanYear { get; set; }
    public int InsuredCount { get; set; }

    public string SignUpId => RowKey;
}
