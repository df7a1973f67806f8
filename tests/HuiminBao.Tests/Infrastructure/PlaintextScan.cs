using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace HuiminBao.Tests.Infrastructure;

/// <summary>
/// Reads everything a storage account holds (every entity's every property, every queued message
/// raw and base64-decoded, every blob) plus captured log lines, and reports where any of the given
/// plaintext values occurs.
/// </summary>
public static class PlaintextScan
{
    public static async Task<IReadOnlyList<string>> FindAsync(string connectionString, IEnumerable<string> logLines, IReadOnlyCollection<string> secrets)
    {
        var hits = new List<string>();
        void Check(string where, string text)
        {
            foreach (var secret in secrets)
            {
                if (text.Contains(secret, StringComparison.Ordinal))
                    hits.Add($"{where} contains '{secret}'");
            }
        }

        var tables = new TableServiceClient(connectionString);
        await foreach (var table in tables.QueryAsync())
        {
            await foreach (var entity in tables.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                foreach (var (key, value) in entity)
                    Check($"table {table.Name} {entity.PartitionKey}/{entity.RowKey}.{key}", $"{entity.PartitionKey} {entity.RowKey} {value}");
            }
        }

        var queues = new QueueServiceClient(connectionString);
        await foreach (var queue in queues.GetQueuesAsync())
        {
            foreach (var message in (await queues.GetQueueClient(queue.Name).PeekMessagesAsync(32)).Value)
            {
                var raw = message.Body.ToString();
                Check($"queue {queue.Name}", raw);
                try
                {
                    Check($"queue {queue.Name} (decoded)", Encoding.UTF8.GetString(Convert.FromBase64String(raw)));
                }
                catch (FormatException)
                {
                    // Not base64; the raw text was checked.
                }
            }
        }

        var blobs = new BlobServiceClient(connectionString);
        await foreach (var container in blobs.GetBlobContainersAsync())
        {
            var client = blobs.GetBlobContainerClient(container.Name);
            await foreach (var blob in client.GetBlobsAsync())
            {
                var content = (await client.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToArray();
                Check($"blob {container.Name}/{blob.Name}", Encoding.UTF8.GetString(content));
                Check($"blob {container.Name}/{blob.Name} (GB18030)", CodePages.Gb18030.GetString(content));
            }
        }

        foreach (var line in logLines)
            Check("log", line);
        return hits;
    }
}

internal static class CodePages
{
    public static readonly Encoding Gb18030 = Create();

    private static Encoding Create()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding("GB18030");
    }
}
