using System.Globalization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using HuiminBao.Diagnostics;
using HuiminBao.Domain;
using HuiminBao.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HuiminBao.Roster;

/// <summary>An upload as the route receives it: the body is streamed, never buffered whole.</summary>
/// <param name="AsOf">Optional <c>?asOf=yyyy-MM-dd</c>: the date the bureau's export is as of (default: today, Beijing time).</param>
public sealed record RosterUploadRequest(string? ContentType, Stream Body, string? AsOf)
{
    /// <summary>How the file arrived: <see cref="RosterUpload.SourceName"/> or <see cref="RosterDrops.SourceName"/>.</summary>
    public string Source { get; init; } = RosterUpload.SourceName;
}

/// <summary>
/// <c>POST /api/ops/roster-imports</c>: streams the bureau's CSV into blob storage, sealed (the file
/// is names and ID numbers), while scanning it for its hash, size and encoding; checks the header;
/// records the import and queues it for <see cref="RosterImportHandler"/>. The import id is the file's
/// hash, so uploading the same file again is the same import: it is not imported twice, and an
/// unfinished one is queued again, resuming from its checkpoint.
/// </summary>
public sealed partial class RosterUpload(
    StorageAccount storage,
    RosterImportRecords records,
    RosterUploadSeal seal,
    RosterImportMessages messages,
    IOptions<RosterImportOptions> options,
    IOptions<EnrollmentOptions> enrollment,
    TimeProvider time,
    ILogger<RosterUpload> logger)
{
    public const string SourceName = "upload";

    private static readonly string[] CsvMediaTypes = ["text/csv", "application/csv", "text/plain", "application/octet-stream", "application/vnd.ms-excel"];

    public async Task<Outcome<RosterImportView>> AcceptAsync(RosterUploadRequest request, CancellationToken cancellationToken)
    {
        if (!IsCsv(request.ContentType))
            return RosterProblems.UnsupportedMediaType();
        var today = BeijingTime.Today(time);
        string asOf;
        if (string.IsNullOrEmpty(request.AsOf))
            asOf = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        else if (DateOnly.TryParseExact(request.AsOf, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) && date <= today)
            asOf = request.AsOf;
        else
            return RosterProblems.AsOfInvalid();

        var blobName = $"{today:yyyy/MM/dd}/{Guid.NewGuid():n}.csv.sealed";
        var blob = storage.Blobs.GetBlobContainerClient(BlobContainers.RosterUploads).GetBlobClient(blobName);
        RosterFileFacts facts;
        try
        {
            facts = await StoreSealedAsync(request.Body, blob, cancellationToken);
        }
        catch (RosterUploadTooLargeException e)
        {
            await DeleteQuietlyAsync(blob);
            return RosterProblems.TooLarge(e.MaxBytes);
        }

        if (facts.Bytes == 0)
            return await RefuseAsync(blob, RosterProblems.FileEmpty());
        if (await RosterColumns.CheckHeaderAsync(facts, cancellationToken) is { } problem)
            return await RefuseAsync(blob, RosterProblems.HeaderInvalid(problem.Describe()));

        var record = RosterImportRecord.For(facts, request.Source, asOf, enrollment.Value.EffectivePlanYear(time), blobName, time.GetUtcNow());
        if (await records.TryCreateAsync(record, cancellationToken))
        {
            LogAccepted(logger, record.ImportId, facts.Bytes, facts.Encoding);
            await messages.SendAsync(record.ImportId, delay: null, cancellationToken);
            return RosterImportView.From(record);
        }
        return await AgainAsync(facts.ImportId, blob, cancellationToken);
    }

    /// <summary>The same file was uploaded before: finish what was started, never import it twice.</summary>
    private async Task<Outcome<RosterImportView>> AgainAsync(string importId, BlobClient blob, CancellationToken cancellationToken)
    {
        var existing = await records.GetAsync(importId, cancellationToken);
        if (existing is null)
            return RosterProblems.StorageUnavailable();
        if (!existing.IsFinished && existing.BlobName is null)
        {
            // Started from the command line and left unfinished: this upload can carry it on.
            existing.BlobName = blob.Name;
            if (!await records.TrySaveAsync(existing, cancellationToken))
                existing.BlobName = null;
        }
        if (existing.BlobName != blob.Name)
            await DeleteQuietlyAsync(blob);
        var stalled = !existing.IsFinished && existing.BlobName is not null && !(existing.LeaseUntil > time.GetUtcNow());
        if (stalled)
            await messages.SendAsync(importId, delay: null, cancellationToken);
        LogDuplicate(logger, importId, existing.State, stalled);
        return RosterImportView.From(existing) with { Duplicate = true };
    }

    private async Task<RosterFileFacts> StoreSealedAsync(Stream body, BlobClient blob, CancellationToken cancellationToken)
    {
        using var scanner = new RosterFileScanner();
        await using var scanning = new ScanningStream(body, scanner, options.Value.MaxUploadBytes);
        await using var sealedBody = seal.Seal(scanning, blob.Name);
        await blob.UploadAsync(sealedBody, new BlobUploadOptions
        {
            // Bounded memory for a body of any size: 4 MiB blocks, two in flight.
            TransferOptions = new Azure.Storage.StorageTransferOptions { InitialTransferSize = 4 * 1024 * 1024, MaximumTransferSize = 4 * 1024 * 1024, MaximumConcurrency = 2 },
        }, cancellationToken);
        return scanner.Complete();
    }

    private static async Task<Outcome<RosterImportView>> RefuseAsync(BlobClient blob, ApiProblem problem)
    {
        await DeleteQuietlyAsync(blob);
        return problem;
    }

    private static async Task DeleteQuietlyAsync(BlobClient blob)
    {
        try
        {
            await blob.DeleteIfExistsAsync();
        }
        catch (RequestFailedException)
        {
            // Never committed, or storage is down; an uncommitted upload is discarded by the service.
        }
    }

    private static bool IsCsv(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
            return true;
        var mediaType = contentType.Split(';', 2)[0].Trim();
        return CsvMediaTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase);
    }

    [LoggerMessage(EventId = LogEvents.Roster + 21, Level = LogLevel.Information, Message = "Roster upload accepted as import {ImportId}: {Bytes} bytes, {Encoding}")]
    private static partial void LogAccepted(ILogger logger, string importId, long bytes, string encoding);

    [LoggerMessage(EventId = LogEvents.Roster + 22, Level = LogLevel.Information, Message = "Roster upload is import {ImportId} again ({State}); requeued: {Requeued}")]
    private static partial void LogDuplicate(ILogger logger, string importId, string state, bool requeued);
}
