using Azure;
using HuiminBao.Diagnostics;
using HuiminBao.Queues;
using Microsoft.Extensions.Logging;

namespace HuiminBao.Storage;

/// <summary>
/// Creates the pipeline's queues and tables where they don't exist yet. In Azure, Bicep creates them;
/// locally, the host calls this on start so a fresh Azurite works at once.
/// </summary>
public sealed partial class StorageProvisioner(StorageAccount storage, ILogger<StorageProvisioner> logger)
{
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        foreach (var queue in QueueNames.All)
            await storage.Queue(queue).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        foreach (var table in TableNames.All)
        {
            try
            {
                await storage.Tables.CreateTableIfNotExistsAsync(table, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                // Created by a concurrent starter between its check and ours.
            }
        }
        foreach (var container in BlobContainers.All)
            await storage.Blobs.GetBlobContainerClient(container).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        LogProvisioned(logger, QueueNames.All.Count, TableNames.All.Count);
    }

    [LoggerMessage(EventId = LogEvents.Storage + 2, Level = LogLevel.Information, Message = "Storage ready: {QueueCount} queues, {TableCount} tables")]
    private static partial void LogProvisioned(ILogger logger, int queueCount, int tableCount);
}
