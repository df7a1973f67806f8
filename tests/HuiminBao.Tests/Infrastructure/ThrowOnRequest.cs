using Azure.Core;
using Azure.Core.Pipeline;

namespace HuiminBao.Tests.Infrastructure;

/// <summary>
/// While armed, the next requests that match throw <paramref name="failure"/> (a bug in a handler, a
/// serializer choking, anything that is not a storage answer) instead of reaching storage.
/// </summary>
public sealed class ThrowOnRequest(Func<HttpMessage, bool> matches, Func<Exception> failure) : HttpPipelinePolicy
{
    private int _remaining;

    public int Thrown { get; private set; }

    public void Arm(int times = 1) => Volatile.Write(ref _remaining, times);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) => throw new NotSupportedException("async only");

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        if (matches(message) && Interlocked.Decrement(ref _remaining) >= 0)
        {
            Thrown++;
            throw failure();
        }
        return ProcessNextAsync(message, pipeline);
    }
}
