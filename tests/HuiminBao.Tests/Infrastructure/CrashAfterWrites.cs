using Azure.Core;
using Azure.Core.Pipeline;

namespace HuiminBao.Tests.Infrastructure;

/// <summary>
/// Stands in for a process dying right after a storage write: the write reached storage, but the
/// caller never learns it. Armed when the test is ready, so a host's own start-up writes don't count.
/// <see cref="After"/> dies once, after a given number of writes; <see cref="Randomly"/> dies after
/// any write with a probability (seeded, so runs repeat).
/// </summary>
public sealed class CrashAfterWrites : HttpPipelinePolicy
{
    private readonly Func<int, bool> _diesAfter;
    private int _writes;
    private int _crashes;
    private volatile bool _armed;

    private CrashAfterWrites(Func<int, bool> diesAfter) => _diesAfter = diesAfter;

    /// <summary>Lets <paramref name="writesBeforeCrash"/> writes through and dies after the next one.</summary>
    public static CrashAfterWrites After(int writesBeforeCrash) => new(write => write == writesBeforeCrash + 1);

    public static CrashAfterWrites Randomly(double probability, int seed)
    {
        var random = new Random(seed);
        return new(_ =>
        {
            lock (random)
                return random.NextDouble() < probability;
        });
    }

    public int Writes => Volatile.Read(ref _writes);

    public int Crashes => Volatile.Read(ref _crashes);

    public void Arm() => _armed = true;

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) => throw new NotSupportedException("async only");

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        await ProcessNextAsync(message, pipeline);
        if (!_armed || message.Request.Method == RequestMethod.Get || message.Request.Method == RequestMethod.Head)
            return;
        if (_diesAfter(Interlocked.Increment(ref _writes)))
        {
            Interlocked.Increment(ref _crashes);
            throw new SimulatedCrashException($"simulated crash after {message.Request.Method} {message.Request.Uri.Path}");
        }
    }
}

public sealed class SimulatedCrashException(string message) : Exception(message);
