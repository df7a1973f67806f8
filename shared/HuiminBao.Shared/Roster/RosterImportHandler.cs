using Azure;
using Azure.Storage.Blobs;
using HuiminBao.Diagnostics;
using HuiminBao.Queues;
using HuiminBao.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HuiminBao.Roster;

/// <summary>
/// The <c>roster-imports</c> stage: runs an uploaded file's import for at most one slice
/// (<see cref="RosterImportOptions.SliceDuration"/>, well inside the Functions timeout), then queues a
/// fresh message to carry on from the checkpoint. A delivery that finds another runner at work comes
/// back when that runner's claim would have lapsed, without spending a dequeue. Failures throw, so the
/// message is retried and the import resumes from its checkpoint; once done, the sealed upload is deleted.
/// </summary>
public sealed partial class RosterImportHandler(
    RosterImport import,
    RosterImportRecords records,
    RosterImportMessages messages,
    RosterUploadSeal seal,
    StorageAccount storage,
    IOptions<RosterImportOptions> options,
    TimeProvider time,
    ILogger<RosterImportHandler> logger) : IQueueHandler<RosterImportQueued>
{
    private static readonly TimeSpan ClaimMargin = TimeSpan.FromSeconds(5);

    public async Task HandleAsync(RosterImportQueued message, QueueDelivery delivery, CancellationToken cancellationToken)
    {
        var record = await records.GetAsync(message.ImportId, cancellationToken);
        if (record is null || record.BlobName is not { } blobName)
        {
            LogNothingToRun(logger, message.ImportId);
            return;
        }
        var blob = storage.Blobs.GetBlobContainerClient(BlobContainers.RosterUploads).GetBlobClient(blobName);
        if (record.IsFinished)
        {
            await DeleteUploadAsync(blob, cancellationToken);
            return;
        }

        var job = new RosterImportJob(record.ImportId, async token => seal.Open(await blob.OpenReadAsync(cancellationToken: token), blobName))
        {
            Deadline = time.GetUtcNow() + options.Value.SliceDuration,
        };
        var result = await import.RunAsync(job, cancellationToken);
        switch (result.Outcome)
        {
            case RosterImportOutcome.Completed or RosterImportOutcome.Rejected or RosterImportOutcome.AlreadyFinished:
                await DeleteUploadAsync(blob, cancellationToken);
                break;
            case RosterImportOutcome.Paused:
                await messages.SendAsync(record.ImportId, delay: null, cancellationToken);
                break;
            case RosterImportOutcome.Busy:
                var wait = (result.Record.LeaseUntil ?? time.GetUtcNow()) - time.GetUtcNow() + ClaimMargin;
                await messages.SendAsync(record.ImportId, TimeSpan.FromTicks(Math.Clamp(wait.Ticks, ClaimMargin.Ticks, (options.Value.LeaseDuration + ClaimMargin).Ticks)), cancellationToken);
                break;
            case RosterImportOutcome.LostClaim:
                // The runner that took over has its own message.
                break;
        }
    }

    private async Task DeleteUploadAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            if (await blob.DeleteIfExistsAsync(cancellationToken: cancellationToken))
                LogUploadDeleted(logger, blob.Name);
        }
        catch (RequestFailedException e)
        {
            // The import itself is done; a leftover sealed blob is deleted by the next message or a re-upload.
            LogUploadNotDeleted(logger, blob.Name, e.Status);
        }
    }

    [LoggerMessage(EventId = LogEvents.Roster + 31, Level = LogLevel.Warning, Message = "Roster import {ImportId}: no uploaded file to import (unknown import, or one run from the command line)")]
    private static partial void LogNothingToRun(ILogger logger, string importId);

    [LoggerMessage(EventId = LogEvents.Roster + 32, Level = LogLevel.Information, Message = "Sealed roster upload {BlobName} deleted after import")]
    private static partial void LogUploadDeleted(ILogger logger, string blobName);

    [LoggerMessage(EventId = LogEvents.Roster + 33, Level = LogLevel.Warning, Message = "Sealed roster upload {BlobName} not deleted (HTTP {Status})")]
    private static partial void LogUploadNotDeleted(ILogger logger, string blobName, int status);
}
