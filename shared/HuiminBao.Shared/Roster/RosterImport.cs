using System.Text.Json;
using HuiminBao.Diagnostics;
using HuiminBao.Domain;
using HuiminBao.Security;
using HuiminBao.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HuiminBao.Roster;

/// <summary>
/// Imports one roster file into the <c>roster</c> table, streaming: the file is read once, row by
/// row, each row checked and keyed (<see cref="RosterRowParser"/>) and handed to the
/// <see cref="RosterBatchWriter"/>, so memory stays flat whatever the file's size.
/// <para>
/// Every <see cref="RosterImportOptions.CheckpointRows"/> rows all buffered rows are written and the
/// position is saved in the import's record. A run that stops (deadline, crash, Ctrl+C) leaves
/// that checkpoint; the next run re-reads the file up to it without writing and carries on. Rows are
/// upserts of the same values, so rows between the checkpoint and the crash being written twice
/// changes nothing; and an import that completed is not run again, so a re-run writes nothing.
/// </para>
/// </summary>
public sealed partial class RosterImport(
    StorageAccount storage,
    RosterImportRecords records,
    KeyedHashes hashes,
    IOptions<RosterImportOptions> options,
    TimeProvider time,
    ILogger<RosterImport> logger)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(200);

    public async Task<RosterImportResult> RunAsync(RosterImportJob job, CancellationToken cancellationToken)
    {
        var record = await records.GetAsync(job.ImportId, cancellationToken)
            ?? throw new InvalidOperationException($"No roster import {job.ImportId}.");
        if (record.IsFinished)
            return new RosterImportResult(RosterImportOutcome.AlreadyFinished, record);
        var settings = options.Value;
        if (await records.TryClaimAsync(record, settings.LeaseDuration, cancellationToken, job.Runner, job.TakeOver) is null)
        {
            LogBusy(logger, record.ImportId, record.LeaseUntil);
            return new RosterImportResult(RosterImportOutcome.Busy, record);
        }
        LogStarted(logger, record.ImportId, record.Runs, record.RecordsDone);

        try
        {
            return await ImportAsync(record, job, settings, cancellationToken);
        }
        catch (Exception e) when (record.State == RosterImportStates.Running)
        {
            // Let the next run start at once instead of waiting out the lease; the checkpoint stays.
            LogInterrupted(logger, record.ImportId, record.RecordsDone, e.GetType().Name);
            await ReleaseAsync(job.ImportId, record.LeaseId);
            throw;
        }
    }

    private async Task<RosterImportResult> ImportAsync(RosterImportRecord record, RosterImportJob job, RosterImportOptions settings, CancellationToken cancellationToken)
    {
        await using var file = new CountingStream(await job.Open(cancellationToken));
        using var text = RosterEncoding.Reader(file, record.Encoding);
        var csv = new CsvRecordReader(text);
        var fields = new List<string>();
        RosterHeaderProblem? problem = null;
        var columns = await csv.ReadAsync(fields, cancellationToken) ? RosterColumns.Read(fields, out problem) : null;
        if (columns is null)
            return await RejectAsync(record, problem?.Describe() ?? RosterHeaderProblem.Empty, cancellationToken);

        var parser = new RosterRowParser(hashes, columns, record.AsOf, BeijingTime.Today(time));
        var badRows = RosterImportView.BadRowsOf(record);
        // As of the checkpoint: the rows before it were counted by the run that wrote it.
        var population = RosterPopulation.Read(record.Population);
        var lastProgress = time.GetTimestamp();
        void Report(bool resuming, bool force = false)
        {
            if (job.Progress is null || (!force && time.GetElapsedTime(lastProgress) < ProgressInterval))
                return;
            lastProgress = time.GetTimestamp();
            job.Progress.Report(new RosterImportProgress(file.BytesRead, record.Bytes, record.RowsRead, record.RowsImported, record.RowsBad, resuming));
        }

        long ordinal = 0;
        while (ordinal < record.RecordsDone)
        {
            if (!await csv.ReadAsync(fields, cancellationToken))
                throw new InvalidDataException($"Roster import {record.ImportId}: the file ends before its checkpoint; it is not the file that was started.");
            ordinal++;
            if (job.OnBadRow is not null && !IsBlank(fields) && parser.Check(fields, csv.Line, csv.Malformed) is { } earlier)
                job.OnBadRow(earlier);
            Report(resuming: true);
        }

        await using var writer = new RosterBatchWriter(storage.Table(TableNames.Roster), settings.Concurrency, cancellationToken);
        var sinceCheckpoint = 0;
        while (await csv.ReadAsync(fields, cancellationToken))
        {
            ordinal++;
            if (!IsBlank(fields))
            {
                record.RowsRead++;
                if (parser.Parse(fields, csv.Line, csv.Malformed, out var bad) is { } row)
                {
                    await writer.AddAsync(RosterTable.Entity(row));
                    record.RowsImported++;
                    population.Count(row);
                }
                else
                {
                    record.RowsBad++;
                    if (badRows.Count < settings.BadRowsKept)
                        badRows.Add(bad!);
                    job.OnBadRow?.Invoke(bad!);
                }
            }
            Report(resuming: false);

            var pastDeadline = job.Deadline is { } deadline && (ordinal & 255) == 0 && time.GetUtcNow() >= deadline;
            if (++sinceCheckpoint < settings.CheckpointRows && !pastDeadline)
                continue;
            await writer.DrainAsync();
            record.Population = population.Write();
            if (!await CheckpointAsync(record, ordinal, badRows, settings, release: pastDeadline, cancellationToken))
                return LostClaim(record, writer);
            sinceCheckpoint = 0;
            if (pastDeadline)
            {
                LogPaused(logger, record.ImportId, record.RecordsDone, record.RowsImported);
                return new RosterImportResult(RosterImportOutcome.Paused, record, writer.Written, writer.Batches);
            }
        }

        await writer.DrainAsync();
        record.State = RosterImportStates.Completed;
        record.CompletedAt = time.GetUtcNow();
        record.Population = population.Write();
        if (!await CheckpointAsync(record, ordinal, badRows, settings, release: true, cancellationToken))
            return LostClaim(record, writer);
        Report(resuming: false, force: true);
        LogCompleted(logger, record.ImportId, record.RowsRead, record.RowsImported, record.RowsBad, writer.Written);
        return new RosterImportResult(RosterImportOutcome.Completed, record, writer.Written, writer.Batches);
    }

    private async Task<bool> CheckpointAsync(RosterImportRecord record, long ordinal, List<RosterBadRow> badRows, RosterImportOptions settings, bool release, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        record.RecordsDone = ordinal;
        record.BadRows = JsonSerializer.Serialize(badRows, RosterJson.Default.ListRosterBadRow);
        record.UpdatedAt = now;
        record.LeaseUntil = release ? null : now + settings.LeaseDuration;
        if (release)
            record.LeaseId = record.LeaseHolder = null;
        return await records.TrySaveAsync(record, cancellationToken);
    }

    private async Task<RosterImportResult> RejectAsync(RosterImportRecord record, string failure, CancellationToken cancellationToken)
    {
        record.State = RosterImportStates.Failed;
        record.Failure = failure;
        record.LeaseId = record.LeaseHolder = null;
        record.LeaseUntil = null;
        record.UpdatedAt = time.GetUtcNow();
        await records.TrySaveAsync(record, cancellationToken);
        LogRejected(logger, record.ImportId, failure);
        return new RosterImportResult(RosterImportOutcome.Rejected, record);
    }

    private RosterImportResult LostClaim(RosterImportRecord record, RosterBatchWriter writer)
    {
        LogLostClaim(logger, record.ImportId);
        return new RosterImportResult(RosterImportOutcome.LostClaim, record, writer.Written, writer.Batches);
    }

    private async Task ReleaseAsync(string importId, string? leaseId)
    {
        try
        {
            using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            if (await records.GetAsync(importId, budget.Token) is { } current && current.LeaseId == leaseId && !current.IsFinished)
            {
                current.LeaseId = null;
                current.LeaseHolder = null;
                current.LeaseUntil = null;
                await records.TrySaveAsync(current, budget.Token);
            }
        }
        catch (Exception e) when (e is Azure.RequestFailedException or AggregateException or HttpRequestException or OperationCanceledException)
        {
            // Storage is what failed, most likely: the lease then lapses on its own.
        }
    }

    /// <summary>Spreadsheets leave rows of bare commas behind; they are not rows.</summary>
    private static bool IsBlank(List<string> fields)
    {
        foreach (var field in fields)
        {
            if (!string.IsNullOrWhiteSpace(field))
                return false;
        }
        return true;
    }

    [LoggerMessage(EventId = LogEvents.Roster + 1, Level = LogLevel.Information, Message = "Roster import {ImportId}: run {Run} starting at record {RecordsDone}")]
    private static partial void LogStarted(ILogger logger, string importId, int run, long recordsDone);

    [LoggerMessage(EventId = LogEvents.Roster + 2, Level = LogLevel.Information, Message = "Roster import {ImportId} completed: {RowsRead} rows read, {RowsImported} imported, {RowsBad} bad; {Written} entities written by this run")]
    private static partial void LogCompleted(ILogger logger, string importId, long rowsRead, long rowsImported, long rowsBad, long written);

    [LoggerMessage(EventId = LogEvents.Roster + 3, Level = LogLevel.Information, Message = "Roster import {ImportId} paused at record {RecordsDone} ({RowsImported} imported); another run continues")]
    private static partial void LogPaused(ILogger logger, string importId, long recordsDone, long rowsImported);

    [LoggerMessage(EventId = LogEvents.Roster + 4, Level = LogLevel.Warning, Message = "Roster import {ImportId} rejected: {Failure}")]
    private static partial void LogRejected(ILogger logger, string importId, string failure);

    [LoggerMessage(EventId = LogEvents.Roster + 5, Level = LogLevel.Information, Message = "Roster import {ImportId} is being run by another runner until {LeaseUntil}")]
    private static partial void LogBusy(ILogger logger, string importId, DateTimeOffset? leaseUntil);

    [LoggerMessage(EventId = LogEvents.Roster + 6, Level = LogLevel.Warning, Message = "Roster import {ImportId} was taken over by another runner; this one stops")]
    private static partial void LogLostClaim(ILogger logger, string importId);

    [LoggerMessage(EventId = LogEvents.Roster + 7, Level = LogLevel.Warning, Message = "Roster import {ImportId} interrupted ({Error}); it resumes from record {RecordsDone}")]
    private static partial void LogInterrupted(ILogger logger, string importId, long recordsDone, string error);
}
