using System.Diagnostics;

namespace HuiminBao.DevHost.Azurite;

/// <summary>A running Azurite: its endpoints, and, if this process started it, the processes to stop.</summary>
public sealed class AzuriteInstance : IAsyncDisposable
{
    public const string DevelopmentAccount = "devstoreaccount1";
    public const string DevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly IReadOnlyList<Process> _started;

    internal AzuriteInstance(int blobPort, int queuePort, int tablePort, IReadOnlyList<Process> started)
    {
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
        _started = started;
    }

    public int BlobPort { get; }

    public int QueuePort { get; }

    public int TablePort { get; }

    /// <summary>True when this instance was already running and is not ours to stop.</summary>
    public bool Borrowed => _started.Count == 0;

    public IEnumerable<int> ProcessIds => _started.Select(p => p.Id);

    public string ConnectionString(string account = DevelopmentAccount, string key = DevelopmentKey) =>
        $"DefaultEndpointsProtocol=http;AccountName={account};AccountKey={key};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{account};" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/{account};" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/{account};";

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _started)
        {
            try
            {
                if (!process.HasExited)
                    process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
            finally
            {
                process.Dispose();
            }
        }
    }
}
