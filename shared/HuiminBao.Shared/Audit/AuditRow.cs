using Azure;
using Azure.Data.Tables;

namespace HuiminBao.Audit;

/// <summary>
/// One ops action (table <c>audit</c>): partition = its Beijing day (<c>yyyyMMdd</c>), row key =
/// inverted ticks plus a random suffix, so a day's partition reads newest first. It names who,
/// which route, what the route was about (ids from the path only) and how it ended; never a query
/// string, a body or personal data.
/// </summary>
public sealed class AuditRow : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    /// <summary>The name of the ops key (or console session) the request came with.</summary>
    public string Caller { get; set; } = "";

    /// <summary>The route's function name (<c>GetTallies</c>, <c>EraseSignUp</c>...).</summary>
    public string Route { get; set; } = "";

    public string Method { get; set; } = "";

    /// <summary>The ids the path named, as <c>id=...</c>; empty for routes about no one thing.</summary>
    public string Target { get; set; } = "";

    public DateTimeOffset At { get; set; }

    /// <summary>The HTTP status answered; null while the action runs, or if its process died before answering.</summary>
    public int? Status { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }
}
