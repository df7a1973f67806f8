namespace HuiminBao.Storage;

/// <summary>Blob containers.</summary>
public static class BlobContainers
{
    /// <summary>Roster CSV files uploaded by ops, waiting for or done with import.</summary>
    public const string RosterUploads = "roster-uploads";

    public static readonly IReadOnlyList<string> All = [RosterUploads];
}
