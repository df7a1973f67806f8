namespace HuiminBao.Roster;

/// <summary>What to import and how: the import's id, how to open its file from the start, and when to stop.</summary>
/// <param name="Open">Opens the file (plaintext) from its first byte; a resumed import reads up to its checkpoint again without writing.</param>
public sealed record RosterImportJob(string ImportId, Func<CancellationToken, Task<Stream>> Open)
{
    /// <summary>When to checkpoint and stop, leaving the rest for another run. Null: run to the end.</summary>
    public DateTimeOffset? Deadline { get; init; }

    public IProgress<RosterImportProgress>? Progress { get; init; }

    /// <summary>Who runs it, recorded with the claim (<see cref="RosterImportRecord.LeaseHolder"/>).</summary>
    public string Runner { get; init; } = "queue";

    /// <summary>
    /// Shown the holder of a live claim, says whether that runner is known to be gone (the command
    /// line recognises its own earlier process, killed with Ctrl+C before it could let go).
    /// </summary>
    public Func<string?, bool>? TakeOver { get; init; }

    /// <summary>Every bad row of the file, including those before a checkpoint a resumed run skips (the status keeps only the first few).</summary>
    public Action<RosterBadRow>? OnBadRow { get; init; }
}

/// <param name="BytesRead">Bytes of the file read so far (read ahead of parsing by up to a buffer).</param>
/// <param name="Resuming">True while a resumed run is reading past rows it already imported.</param>
public sealed record RosterImportProgress(long BytesRead, long Bytes, long RowsRead, long RowsImported, long RowsBad, bool Resuming);

public enum RosterImportOutcome
{
    /// <summary>Every row is imported or reported bad.</summary>
    Completed,

    /// <summary>The deadline came: progress is checkpointed and another run continues.</summary>
    Paused,

    /// <summary>The import had already completed (or failed) before this run: nothing was written.</summary>
    AlreadyFinished,

    /// <summary>Another runner holds a live claim on this import.</summary>
    Busy,

    /// <summary>The file was refused as a whole (no header, a required column missing).</summary>
    Rejected,

    /// <summary>This runner stalled past its claim and another took the import over; it stopped.</summary>
    LostClaim,
}

/// <param name="EntitiesWritten">Roster entities this run wrote (0 for a re-run of a finished import).</param>
public sealed record RosterImportResult(RosterImportOutcome Outcome, RosterImportRecord Record, long EntitiesWritten = 0, long Batches = 0);
