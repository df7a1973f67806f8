using Azure.Core;
using Azure.Core.Pipeline;

namespace HuiminBao.Queues;

/// <summary>
/// Tells <see cref="IntakePressure"/> about every storage attempt that storage throttled (503 Server
/// Busy, 500 Operation Timed Out) or that got no answer in time. It sits in the storage clients'
/// pipeline per attempt, so it sees the attempts the SDK retries, not only the ones that fail in the end.
/// </summary>
public sealed class ThrottlingWatch(IntakePressure pressure) : HttpPipelinePolicy
{
    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        try
        {
            ProcessNext(message, pipeline);
        }
        catch (Exception e) when (IsTimeout(e, message))
        {
            pressure.StorageThrottled();
            throw;
        }
        Observe(message);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        try
        {
            await ProcessNextAsync(message, pipeline);
        }
        catch (Exception e) when (IsTimeout(e, message))
        {
            pressure.StorageThrottled();
            throw;
        }
        Observe(message);
    }

    private void Observe(HttpMessage message)
    {
        if (message.HasResponse && message.Response.Status is 503 or 500)
            pressure.StorageThrottled();
    }

    /// <summary>A network timeout, not the caller giving up.</summary>
    private static bool IsTimeout(Exception e, HttpMessage message) =>
        e is TaskCanceledException or TimeoutException && !message.CancellationToken.IsCancellationRequested;
}
