using Azure;
using Azure.Data.Tables;

namespace HuiminBao.Privacy;

/// <summary>
/// When a plan year's enrollment window closed (table <c>opsstate</c>, partition
/// <c>retention-windows</c>, row = plan year), as configured while that year was the open one. Kept so
/// the retention period of a past year still counts from its real close after ops move
/// <c>Enrollment:*</c> on to the next year.
/// </summary>
public sealed class RetentionWindowRow : ITableEntity
{
    public const string Partition = "retention-windows";

    public string PartitionKey { get; set; } = Partition;
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public DateTimeOffset ClosesAt { get; set; }
}
