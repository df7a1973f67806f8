namespace HuiminBao.DevHost.Azurite;

/// <summary>How to start an Azurite: where it keeps data, which ports, one process or one per service.</summary>
public sealed record AzuriteOptions
{
    /// <summary>Null keeps everything in memory (tests); a folder persists across restarts (the local host).</summary>
    public string? DataDirectory { get; init; }

    /// <summary>0 picks a free port.</summary>
    public int BlobPort { get; init; }

    public int QueuePort { get; init; }

    public int TablePort { get; init; }

    /// <summary>
    /// Azurite is one Node.js event loop; running queue, table and blob as separate processes gives
    /// each its own loop, which is what a load test wants.
    /// </summary>
    public bool SeparateProcesses { get; init; }

    /// <summary>
    /// Leaves Azurite's in-memory queue clean-up as shipped, one index rebuild per deleted message
    /// (<c>tools/azurite/run.js</c> batches them). Only the benchmark that measures the difference sets it.
    /// </summary>
    public bool StockQueueCleanup { get; init; }

    /// <summary>Extra storage accounts (name → base64 key), so test classes can each have their own.</summary>
    public IReadOnlyDictionary<string, string> Accounts { get; init; } = new Dictionary<string, string>();

    public static AzuriteOptions DefaultPorts(string dataDirectory) =>
        new() { DataDirectory = dataDirectory, BlobPort = 10000, QueuePort = 10001, TablePort = 10002 };
}
