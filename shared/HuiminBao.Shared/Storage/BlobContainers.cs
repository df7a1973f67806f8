namespace HuiminBao.Storage;

/// <summary>Blob containers.</summary>
public static class BlobContainers
{
    /// <summary>Roster CSV files uploaded by ops, waiting for or done with import.</summary>
    public const string RosterUploads = "roster-uploads";

    /// <summary>
    /// Roster files ops upload straight to storage (too big for a request to the app), one blob per
    /// drop, each written through a short-lived write-only URL. Each is read, sealed into
    /// <see cref="RosterUploads"/> and deleted when its import is started.
    /// </summary>
    public const string RosterDrops = "roster-drops";

    public static readonly IReadOnlyList<string> All = [RosterUploads, RosterDrops];
}
