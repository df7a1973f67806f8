using System.ComponentModel.DataAnnotations;

namespace HuiminBao.Roster;

/// <summary>Roster import tuning (<c>RosterImport:*</c>); the defaults suit both Azurite and Azure.</summary>
public sealed class RosterImportOptions
{
    public const string Section = "RosterImport";

    /// <summary>Batch transactions in flight at once. Azurite's one event loop saturates around 4–8.</summary>
    [Range(1, 64)]
    public int Concurrency { get; set; } = 8;

    /// <summary>
    /// Rows between checkpoints. At a checkpoint every buffered row is written and the position saved,
    /// so an interrupted import resumes from there; more often costs partly filled batches.
    /// </summary>
    [Range(1_000, 10_000_000)]
    public int CheckpointRows { get; set; } = 100_000;

    /// <summary>
    /// How long one queue delivery imports before it checkpoints and hands over to a fresh message,
    /// well inside the Functions timeout (host.json <c>functionTimeout</c>, 10 minutes).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan SliceDuration { get; set; } = TimeSpan.FromMinutes(4);

    /// <summary>How long a runner's claim on an import lasts without a checkpoint renewing it; a crashed runner's import is taken over after this.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Largest roster file imported, however it arrives.</summary>
    [Range(1024L, 64L * 1024 * 1024 * 1024)]
    public long MaxUploadBytes { get; set; } = 1024L * 1024 * 1024;

    /// <summary>
    /// Largest body <c>POST /api/ops/roster-imports</c> takes directly: Azure Functions refuses
    /// request bodies over 100 MB, so a bigger file goes to blob storage through a roster drop
    /// (<c>POST /api/ops/roster-drops</c>). The local host holds to the same limit, so what works
    /// here works in Azure.
    /// </summary>
    [Range(1024L, 100L * 1000 * 1000)]
    public long MaxRequestBytes { get; set; } = 100L * 1000 * 1000;

    /// <summary>How long a roster drop's upload URL stays valid; the file it receives is imported (and deleted) when ops say so.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "02:00:00")]
    public TimeSpan DropUploadWindow { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Bad rows kept with the import's status (line and reason); the count covers all of them.</summary>
    [Range(0, 1_000)]
    public int BadRowsKept { get; set; } = 100;
}
