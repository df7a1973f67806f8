using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using HuiminBao.Storage;

namespace HuiminBao.LaunchDay.Abuse;

/// <summary>
/// Every entity (keys and ETag), every queue's message count and every blob (name and ETag) in an
/// account, so two snapshots differ if anything at all was written. <c>opsstate</c> is left out (the
/// host's timers and the WeChat access token write there on their own schedule), and so is
/// <c>ratelimits</c>, where the request limits count busy clients by keyed hash: hostile traffic is
/// meant to move those counts, and they hold nothing a request sent. So is <c>health</c>: each
/// instance rewrites its per-minute counts every few seconds, whatever arrives. (The plaintext
/// scan still reads all three.)
/// </summary>
public static class StorageSnapshot
{
    public static async Task<IReadOnlyList<string>> TakeAsync(string connectionString)
    {
        var lines = new List<string>();
        var tables = new TableServiceClient(connectionString);
        await foreach (var table in tables.QueryAsync())
        {
            if (table.Name is TableNames.OpsState or TableNames.RateLimits or TableNames.Health)
                continue;
            await foreach (var entity in tables.GetTableClient(table.Name).QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
                lines.Add($"table {table.Name}/{entity.PartitionKey}/{entity.RowKey} {entity.ETag}");
        }

        var queues = new QueueServiceClient(connectionString);
        await foreach (var queue in queues.GetQueuesAsync())
            lines.Add($"queue {queue.Name}: {(await queues.GetQueueClient(queue.Name).GetPropertiesAsync()).Value.ApproximateMessagesCount} messages");

        var blobs = new BlobServiceClient(connectionString);
        await foreach (var container in blobs.GetBlobContainersAsync())
        {
            lines.Add($"container {container.Name}");
            await foreach (var blob in blobs.GetBlobContainerClient(container.Name).GetBlobsAsync())
                lines.Add($"blob {container.Name}/{blob.Name} {blob.Properties.ETag}");
        }
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    /// <summary>What was added (+) and removed (-) between two snapshots.</summary>
    public static IReadOnlyList<string> Difference(IReadOnlyList<string> before, IReadOnlyList<string> after) =>
        [.. after.Except(before, StringComparer.Ordinal).Select(l => "+ " + l), .. before.Except(after, StringComparer.Ordinal).Select(l => "- " + l)];
}
