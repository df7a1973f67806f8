using Azure.Core;
using Azure.Core.Pipeline;

namespace HuiminBao.Tests.Infrastructure;

/// <summary>
/// Lets the first N storage writes through, then throws right after the N+1th reached storage: the
/// write happened, but the handler never learns it, exactly as if its process died at that point.
/// </summary>
public sealed class CrashAfterWrites(int writesBeforeCrash) : HttpPipelinePolicy
{
    private int _writes;
    private volatile bool _armed;

    public int Writes => Volatile.Read(ref _writes);

    /// <summary>Start counting now, so a host's own start-up writes (creating queues) don't count.</summary>
    public void Arm() => _armed = true;

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) => throw new NotSupportedException("async only");

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        await ProcessNextAsync(message, pipeline);
        if (!_armed || message.Request.Method == RequestMethod.Get || message.Request.Method == RequestMethod.Head)
            return;
        if (Interlocked.Increment(ref _writes) == writesBeforeCrash + 1)
            throw new SimulatedCrashException($"simulated crash after write {writesBeforeCrash + 1} ({message.Request.Method} {message.Request.Uri.Path})");
    }
}

public sealed class SimulatedCrashException(string message) : Exception(message);
