using Azure.Core;
using Azure.Core.Pipeline;

namespace HuiminBao.Tests.Infrastructure;

/// <summary>After each storage write reaches storage, "kills" the caller with the given probability (seeded, so runs repeat).</summary>
public sealed class RandomCrashes(double probability, int seed) : HttpPipelinePolicy
{
    private readonly Random _random = new(seed);
    private int _crashes;
    private volatile bool _armed;

    public int Crashes => Volatile.Read(ref _crashes);

    /// <summary>Start crashing now, after the host's own start-up writes.</summary>
    public void Arm() => _armed = true;

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) => throw new NotSupportedException("async only");

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        await ProcessNextAsync(message, pipeline);
        if (!_armed || message.Request.Method == RequestMethod.Get || message.Request.Method == RequestMethod.Head)
            return;
        bool crash;
        lock (_random)
            crash = _random.NextDouble() < probability;
        if (crash)
        {
            Interlocked.Increment(ref _crashes);
            throw new SimulatedCrashException($"simulated crash after {message.Request.Method} {message.Request.Uri.Path}");
        }
    }
}
