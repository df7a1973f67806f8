using Azure.Core;
using Azure.Core.Pipeline;

namespace HuiminBao.Tests.Infrastructure;

/// <summary>While holding, every storage request that matches waits until released, as a stalled service would make it.</summary>
public sealed class HoldRequests(Func<HttpMessage, bool> matches) : HttpPipelinePolicy
{
    private volatile TaskCompletionSource? _held;
    private int _arrived;

    /// <summary>Matching requests that reached this policy while holding.</summary>
    public int Arrived => Volatile.Read(ref _arrived);

    /// <summary>Holds writes (anything but GET and HEAD) to the named table, single or in a batch.</summary>
    public static HoldRequests TableWrites(string table) => new(m =>
        m.Request.Method != RequestMethod.Get && m.Request.Method != RequestMethod.Head
        && (m.Request.Uri.Path.EndsWith("/$batch", StringComparison.Ordinal) || m.Request.Uri.Path.Contains($"/{table}", StringComparison.Ordinal)));

    public void Hold() => _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => Interlocked.Exchange(ref _held, null)?.TrySetResult();

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) => throw new NotSupportedException("async only");

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        if (_held is { } held && matches(message))
        {
            Interlocked.Increment(ref _arrived);
            await held.Task;
        }
        await ProcessNextAsync(message, pipeline);
    }
}
