using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace HuiminBao.LaunchDay.Audit;

/// <summary>
/// Reads everything a storage account holds (every entity's every property, every queued message
/// raw and base64-decoded, every blob) plus captured log lines, and reports where any of the given
/// plaintext values occurs.
/// </summary>
public static class PlaintextScan
{
    /// <param name="everyMessage">
    /// Peeking shows a queue's first 32 messages only. True reads the rest by receiving them, which hides
    /// them for a while and counts a delivery: only for a pipeline that has stopped.
    /// </param>
    public static async Task<IReadOnlyList<string>> FindAsync(string connectionString, IEnumerable<string> logLines, IReadOnlyCollection<string> secrets, bool everyMessage = false)
    {
        var hits = new List<string>();
        var matcher = new SecretMatcher(secrets);
        void Check(string where, string text)
        {
            foreach (var secret in matcher.FindIn(text))
                hits.Add($"{where} contains '{secret}'");
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
            foreach (var body in await MessagesAsync(queues.GetQueueClient(queue.Name), everyMessage))
            {
                Check($"queue {queue.Name}", body);
                try
                {
                    Check($"queue {queue.Name} (decoded)", Encoding.UTF8.GetString(Convert.FromBase64String(body)));
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

    private static async Task<IReadOnlyList<string>> MessagesAsync(QueueClient queue, bool everyMessage)
    {
        var peeked = (await queue.PeekMessagesAsync(32)).Value.Select(m => m.Body.ToString()).ToList();
        if (!everyMessage || peeked.Count < 32)
            return peeked;
        var bodies = new List<string>();
        while (true)
        {
            QueueMessage[] received = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5))).Value;
            if (received.Length == 0)
                return bodies;
            bodies.AddRange(received.Select(m => m.Body.ToString()));
        }
    }
}

/// <summary>
/// Finds any of many secrets in a text in one pass per distinct secret length (names are 2–4
/// characters, mobiles 11, ID numbers 18) with span lookups, instead of one search per secret: a full
/// run scans hundreds of thousands of log lines for tens of thousands of values.
/// </summary>
internal sealed class SecretMatcher
{
    private readonly HashSet<string> _secrets;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly int[] _lengths;

    public SecretMatcher(IEnumerable<string> secrets)
    {
        _secrets = new HashSet<string>(secrets.Where(s => s.Length > 0), StringComparer.Ordinal);
        _lookup = _secrets.GetAlternateLookup<ReadOnlySpan<char>>();
        _lengths = [.. _secrets.Select(s => s.Length).Distinct()];
    }

    public IEnumerable<string> FindIn(string text)
    {
        List<string>? found = null;
        foreach (var length in _lengths)
        {
            for (var at = 0; at + length <= text.Length; at++)
            {
                if (_lookup.TryGetValue(text.AsSpan(at, length), out var secret) && !(found ??= []).Contains(secret))
                    found.Add(secret);
            }
        }
        return found ?? [];
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
