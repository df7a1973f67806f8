using System.Text.Json.Serialization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Sas;
using HuiminBao.Diagnostics;
using HuiminBao.Domain;
using HuiminBao.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HuiminBao.Roster;

/// <summary>Where and how to upload a roster file that is too big to send to the app.</summary>
/// <param name="UploadUrl">Write-only, for this one blob, until <paramref name="ExpiresAt"/>: <c>PUT</c> the file there with <c>x-ms-blob-type: BlockBlob</c>.</param>
/// <param name="ImportUrl">Then <c>POST</c> here (optionally <c>?asOf=yyyy-MM-dd</c>) to start the import.</param>
public sealed record RosterDropView(string DropId, string UploadUrl, string Method, IReadOnlyDictionary<string, string> Headers, DateTimeOffset ExpiresAt, string ImportUrl)
{
    [JsonIgnore]
    public string Location => ImportUrl;
}

/// <summary>
/// Valet keys for roster files too big for a request to the app (Azure Functions takes 100 MB; a
/// city's roster runs to hundreds): <c>POST /api/ops/roster-drops</c> hands out a short-lived URL
/// that can only create or write one blob in <c>roster-drops</c>; ops upload the file there
/// themselves, then <c>POST /api/ops/roster-drops/{id}/import</c> reads it, seals it into
/// <c>roster-uploads</c> exactly as a direct upload is sealed, deletes the plain file and queues the
/// import. In Azure the URL is a user-delegation SAS (signed with the app's identity, no account
/// key exists); on Azurite, which has account keys, a service SAS.
/// </summary>
public sealed partial class RosterDrops(StorageAccount storage, RosterUpload upload, IOptions<RosterImportOptions> options, TimeProvider time, ILogger<RosterDrops> logger)
{
    public const string SourceName = "drop";
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);
    private static readonly IReadOnlyDictionary<string, string> UploadHeaders = new Dictionary<string, string> { ["x-ms-blob-type"] = "BlockBlob" };

    public async Task<Outcome<RosterDropView>> CreateAsync(CancellationToken cancellationToken)
    {
        var dropId = Guid.NewGuid().ToString("n");
        var blob = Blob(dropId);
        var now = time.GetUtcNow();
        var expires = now + options.Value.DropUploadWindow;
        var sas = new BlobSasBuilder(BlobSasPermissions.Create | BlobSasPermissions.Write, expires)
        {
            BlobContainerName = blob.BlobContainerName,
            BlobName = blob.Name,
            Resource = "b",
            StartsOn = now - ClockSkew,
            Protocol = blob.Uri.Scheme == Uri.UriSchemeHttps ? SasProtocol.Https : SasProtocol.HttpsAndHttp,
        };
        Uri uploadUrl;
        if (blob.CanGenerateSasUri)
        {
            uploadUrl = blob.GenerateSasUri(sas);
        }
        else
        {
            var key = await storage.Blobs.GetUserDelegationKeyAsync(now - ClockSkew, expires, cancellationToken);
            uploadUrl = new BlobUriBuilder(blob.Uri) { Sas = sas.ToSasQueryParameters(key.Value, storage.Blobs.AccountName) }.ToUri();
        }
        LogCreated(logger, dropId, expires);
        return new RosterDropView(dropId, uploadUrl.ToString(), "PUT", UploadHeaders, expires, $"/api/{ImportPath(dropId)}");
    }

    /// <summary>Seals the dropped file and starts its import, as an upload of the same file would; the plain file is deleted once sealed.</summary>
    public async Task<Outcome<RosterImportView>> ImportAsync(string dropId, string? asOf, CancellationToken cancellationToken)
    {
        if (dropId.Length != 32 || !dropId.All(char.IsAsciiHexDigitLower))
            return RosterProblems.DropNotFound();
        var blob = Blob(dropId);
        Stream file;
        try
        {
            file = await blob.OpenReadAsync(new Azure.Storage.Blobs.Models.BlobOpenReadOptions(allowModifications: false), cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return RosterProblems.DropNotFound();
        }

        Outcome<RosterImportView> outcome;
        await using (file)
            outcome = await upload.AcceptAsync(new RosterUploadRequest("text/csv", file, asOf) { Source = SourceName }, cancellationToken);
        // Kept only when storage failed, so the same call can be made again; otherwise the sealed copy (or the refusal) replaces it.
        if (outcome.Problem is not { Status: >= 500 })
        {
            await blob.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
            LogImported(logger, dropId, outcome.Value?.ImportId);
        }
        return outcome;
    }

    /// <summary>
    /// Deletes drops last written before <paramref name="writtenBefore"/>: plaintext bureau files ops
    /// uploaded and never imported (an import deletes its drop). Returns how many went.
    /// </summary>
    public async Task<int> SweepAsync(DateTimeOffset writtenBefore, CancellationToken cancellationToken)
    {
        var container = storage.Blobs.GetBlobContainerClient(BlobContainers.RosterDrops);
        var deleted = 0;
        await foreach (var blob in container.GetBlobsAsync(cancellationToken: cancellationToken))
        {
            if (blob.Properties.LastModified is not { } written || written >= writtenBefore)
                continue;
            if (await container.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken))
            {
                deleted++;
                LogSwept(logger, blob.Name, written);
            }
        }
        return deleted;
    }

    public static string ImportPath(string dropId) => $"ops/roster-drops/{dropId}/import";

    private BlobClient Blob(string dropId) => storage.Blobs.GetBlobContainerClient(BlobContainers.RosterDrops).GetBlobClient(dropId + ".csv");

    [LoggerMessage(EventId = LogEvents.Roster + 41, Level = LogLevel.Information, Message = "Roster drop {DropId} handed out, writable until {ExpiresAt:o}")]
    private static partial void LogCreated(ILogger logger, string dropId, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = LogEvents.Roster + 43, Level = LogLevel.Warning, Message = "Roster drop {BlobName} deleted unimported: last written {WrittenAt:o}")]
    private static partial void LogSwept(ILogger logger, string blobName, DateTimeOffset writtenAt);

    [LoggerMessage(EventId = LogEvents.Roster + 42, Level = LogLevel.Information, Message = "Roster drop {DropId} sealed and deleted; import {ImportId}")]
    private static partial void LogImported(ILogger logger, string dropId, string? importId);
}
