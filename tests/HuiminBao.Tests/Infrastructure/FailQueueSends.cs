using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace HuiminBao.Tests.Infrastructure;

/// <summary>While switched on, every message send to the named queue fails as if the queue service were down.</summary>
public sealed class FailQueueSends(string queue) : HttpPipelinePolicy
{
    private volatile bool _failing;

    public bool Failing
    {
        get => _failing;
        set => _failing = value;
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) => throw new NotSupportedException("async only");

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        if (Failing && message.Request.Method == RequestMethod.Post && message.Request.Uri.Path.EndsWith($"/{queue}/messages", StringComparison.Ordinal))
            throw new RequestFailedException(503, "simulated queue outage", "ServerBusy", null);
        return ProcessNextAsync(message, pipeline);
    }
}
