using Azure.Core;
using Azure.Core.Pipeline;

namespace HuiminBao.Tests.Infrastructure;

/// <summary>While holding, every message send to the named queue waits until released, as a stalled queue service would make it.</summary>
public sealed class HoldQueueSends(string queue) : HttpPipelinePolicy
{
    private volatile TaskCompletionSource? _held;
    private int _arrived;

    /// <summary>Sends that reached this policy while holding.</summary>
    public int Arrived => Volatile.Read(ref _arrived);

    public void Hold() => _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => Interlocked.Exchange(ref _held, null)?.TrySetResult();

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) => throw new NotSupportedException("async only");

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        if (_held is { } held && message.Request.Method == RequestMethod.Post && message.Request.Uri.Path.EndsWith($"/{queue}/messages", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _arrived);
            await held.Task;
        }
        await ProcessNextAsync(message, pipeline);
    }
}
