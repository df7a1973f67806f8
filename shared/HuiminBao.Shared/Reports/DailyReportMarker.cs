using Azure;
using Azure.Data.Tables;

namespace HuiminBao.Reports;

/// <summary>
/// One day's report (table <c>opsstate</c>, partition <c>daily-report</c>, row <c>yyyyMMdd</c>).
/// Inserting it claims the day; its state then says whether WeCom took the report, and its ETag
/// makes every later step conditional on still being the claim's owner.
/// </summary>
public sealed class DailyReportMarker : ITableEntity
{
    public const string ReportsPartition = "daily-report";
    public const string Sending = "sending";
    public const string Sent = "sent";
    public const string Failed = "failed";

    public string PartitionKey { get; set; } = ReportsPartition;
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string State { get; set; } = Sending;

    /// <summary>The run holding the claim (a fresh id per run, so two firings in one process are two owners).</summary>
    public string Owner { get; set; } = "";

    public DateTimeOffset ClaimedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public int Attempts { get; set; }

    /// <summary>The robot's errcode and errmsg of the last failed attempt.</summary>
    public string? LastError { get; set; }

    /// <summary>The figures the report carried, for checking what ops were told.</summary>
    public long? Enrolled { get; set; }
    public long? Cumulative { get; set; }

    public static string RowKeyOf(DateOnly day) => day.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A method, not a property: the table SDK would try to store a property (and can't store DateOnly).</summary>
    public DateOnly Day() => DateOnly.ParseExact(RowKey, "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
}
