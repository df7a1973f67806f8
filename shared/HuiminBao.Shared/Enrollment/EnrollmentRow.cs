using Azure;
using Azure.Data.Tables;

namespace HuiminBao.Enrollment;

/// <summary>
/// One person enrolled for one plan year (table <c>enrollments</c>). Its key is the person key, so
/// the insert itself enforces "at most one enrollment per person per plan year" across all sign-ups.
/// It keeps what a recount of the tallies needs.
/// </summary>
public sealed class EnrollmentRow : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string SignUpId { get; set; } = "";
    public string Relation { get; set; } = "";
    public string District { get; set; } = "";
    public string Scheme { get; set; } = "";

    /// <summary>The Beijing day (yyyy-MM-dd) the enrollment counts on: the day its sign-up was accepted.</summary>
    public string Day { get; set; } = "";

    public DateTimeOffset EnrolledAt { get; set; }
}

/// <summary>What the ledger is asked to record for one person.</summary>
public sealed record PersonEnrollment(
    int PlanYear,
    string PersonKey,
    string SignUpId,
    string Relation,
    string District,
    string Scheme,
    DateOnly Day,
    DateTimeOffset EnrolledAt);
