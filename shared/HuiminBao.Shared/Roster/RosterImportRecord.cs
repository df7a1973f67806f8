using Azure;
using Azure.Data.Tables;

namespace HuiminBao.Roster;

/// <summary>
/// One roster file's import, in <c>rosterimports</c> (partition <see cref="Partition"/>, row key =
/// import id, the first 32 hex characters of the file's SHA-256). It holds the checkpoint an
/// interrupted import resumes from and the claim of whoever is running it; no row content.
/// </summary>
public sealed class RosterImportRecord : ITableEntity
{
    public const string Partition = "imports";

    public string PartitionKey { get; set; } = Partition;
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    /// <summary><see cref="RosterImportStates"/>.</summary>
    public string State { get; set; } = RosterImportStates.Queued;

    /// <summary><c>upload</c> (ops route) or <c>cli</c> (DevHost command line).</summary>
    public string Source { get; set; } = "";

    /// <summary>For uploads: the sealed copy of the file in <c>roster-uploads</c>, deleted once imported.</summary>
    public string? BlobName { get; set; }

    public string Sha256 { get; set; } = "";
    public long Bytes { get; set; }
    public string Encoding { get; set; } = "";

    /// <summary>yyyy-MM-dd: the date the bureau's export is as of; stored with every row.</summary>
    public string AsOf { get; set; } = "";

    /// <summary>The plan year whose population this file describes: the open plan year when it was uploaded.</summary>
    public int PlanYear { get; set; }

    /// <summary>
    /// JSON <see cref="RosterPopulation"/> counts of the active persons read so far, per district and
    /// scheme, saved with every checkpoint so a resumed import counts each row once; complete once
    /// the import is.
    /// </summary>
    public string Population { get; set; } = "{}";

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>The checkpoint: CSV records (after the header) fully dealt with, written or reported bad.</summary>
    public long RecordsDone { get; set; }

    public long RowsRead { get; set; }
    public long RowsImported { get; set; }
    public long RowsBad { get; set; }

    /// <summary>JSON list of the first bad rows (<see cref="RosterBadRow"/>: line and reason only).</summary>
    public string BadRows { get; set; } = "[]";

    /// <summary>Why a whole file was refused (a header without a required column, ...).</summary>
    public string? Failure { get; set; }

    public string? LeaseId { get; set; }

    /// <summary>Who holds the claim: <c>queue</c>, or <c>cli:{machine}:{process id}</c> for the command line.</summary>
    public string? LeaseHolder { get; set; }
    public DateTimeOffset? LeaseUntil { get; set; }

    /// <summary>How many times a runner has taken the import up: more than one means it was resumed.</summary>
    public int Runs { get; set; }

    public string ImportId => RowKey;

    public static RosterImportRecord For(RosterFileFacts facts, string source, string asOf, int planYear, string? blobName, DateTimeOffset createdAt) => new()
    {
        PlanYear = planYear,
        RowKey = facts.ImportId,
        Source = source,
        BlobName = blobName,
        Sha256 = facts.Sha256,
        Bytes = facts.Bytes,
        Encoding = facts.Encoding,
        AsOf = asOf,
        CreatedAt = createdAt,
    };

    public bool IsFinished => State is RosterImportStates.Completed or RosterImportStates.Failed;
}

public static class RosterImportStates
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
}
