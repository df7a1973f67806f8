namespace HuiminBao.Storage;

/// <summary>Table names (letters and digits only, as Azure Tables requires).</summary>
public static class TableNames
{
    /// <summary>Sign-up records in 16 bucket partitions (see SignUps.SignUpKeys), each with its notification row beside it.</summary>
    public const string SignUps = "signups";

    /// <summary>One row per enrolled person per plan year, and the daily tally counters of the same shard.</summary>
    public const string Enrollments = "enrollments";

    /// <summary>The basic-insurance roster ops import, keyed by person key.</summary>
    public const string Roster = "roster";

    /// <summary>Progress of roster imports, so a re-run resumes instead of starting over.</summary>
    public const string RosterImports = "rosterimports";

    /// <summary>Sign-ups that landed in poison, for ops to review and requeue.</summary>
    public const string Reviews = "reviews";

    /// <summary>Small shared state: the WeChat access token, report and alert markers.</summary>
    public const string OpsState = "opsstate";

    /// <summary>Request counts of clients busy enough to be counted across instances (keyed hashes only).</summary>
    public const string RateLimits = "ratelimits";

    /// <summary>Every ops action: who, which route, which thing, when, and how it ended.</summary>
    public const string Audit = "audit";

    /// <summary>Each instance's per-minute pipeline counts, for the health reading (aggregates only).</summary>
    public const string Health = "health";

    public static readonly IReadOnlyList<string> All = [SignUps, Enrollments, Roster, RosterImports, Reviews, OpsState, RateLimits, Audit, Health];
}
