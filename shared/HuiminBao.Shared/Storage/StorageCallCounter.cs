using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace HuiminBao.Storage;

/// <summary>
/// Counts every request the storage SDKs send, retries included, by service and HTTP method, so
/// benchmarks report storage calls per sign-up as counted rather than estimated.
/// </summary>
public sealed class StorageCallCounter
{
    private long _total;
    private readonly ConcurrentDictionary<string, long> _byOperation = new(StringComparer.Ordinal);

    public long Total => Interlocked.Read(ref _total);

    public IReadOnlyDictionary<string, long> ByOperation => _byOperation;

    public HttpPipelinePolicy PolicyFor(string service) => new Policy(this, service);

    private void Count(string service, Request request)
    {
        Interlocked.Increment(ref _total);
        var batch = request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal) ? " batch" : "";
        _byOperation.AddOrUpdate($"{service} {request.Method}{batch}", 1, static (_, n) => n + 1);
    }

    private sealed class Policy(StorageCallCounter counter, string service) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message) => counter.Count(service, message.Request);
    }
}
