namespace HuiminBao.Storage;

/// <summary>
/// Queue names. The Functions triggers, the local host's listeners and the Bicep templates all use
/// these; tests check that they agree.
/// </summary>
public static class QueueNames
{
    public const string SignUps = "signups";
    public const string SignUpsPoison = "signups-poison";
    public const string Notifications = "notifications";
    public const string NotificationsPoison = "notifications-poison";
    public const string RosterImports = "roster-imports";
    public const string RosterImportsPoison = "roster-imports-poison";

    public static readonly IReadOnlyList<string> All = [SignUps, SignUpsPoison, Notifications, NotificationsPoison, RosterImports, RosterImportsPoison];

    public static string PoisonOf(string queue) => queue + "-poison";
}

/// <summary>Table names (letters and digits only, as Azure Tables requires).</summary>
public static class TableNames
{
    /// <summary>Sign-up records (partition = sign-up id), with their notification state beside them.</summary>
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

    public static readonly IReadOnlyList<string> All = [SignUps, Enrollments, Roster, RosterImports, Reviews, OpsState];
}

/// <summary>Blob containers.</summary>
public static class BlobContainers
{
    /// <summary>Roster CSV files uploaded by ops, waiting for or done with import.</summary>
    public const string RosterUploads = "roster-uploads";

    public static readonly IReadOnlyList<string> All = [RosterUploads];
}
