namespace HuiminBao.Queues;

/// <summary>
/// How hard intake is pressed, as the <see cref="ProcessingGate"/> reads it: how often intake had to
/// refuse a sign-up, how often storage answered any caller of this process with throttling (503
/// Server Busy, 500 Operation Timed Out) or not at all, and, for the gate's gauge and log, how long
/// intake took to make each sign-up durable and queued.
/// </summary>
public sealed class IntakePressure
{
    /// <summary>Samples kept per window; beyond this a window is counted but not sampled.</summary>
    private const int MaxSamples = 4096;

    private readonly Lock _gate = new();
    private List<double> _milliseconds = [];
    private int _count;
    private int _refused;
    private int _throttled;
    private long _throttledTotal;

    /// <summary>Intake made a sign-up durable and queued in <paramref name="elapsed"/>.</summary>
    public void IntakeTook(TimeSpan elapsed)
    {
        lock (_gate)
        {
            _count++;
            if (_milliseconds.Count < MaxSamples)
                _milliseconds.Add(elapsed.TotalMilliseconds);
        }
    }

    /// <summary>Intake refused a sign-up because storage could not take it in time.</summary>
    public void IntakeRefused()
    {
        lock (_gate)
            _refused++;
    }

    /// <summary>Storage throttled a call, or did not answer it (any caller: intake, processing, timers).</summary>
    public void StorageThrottled()
    {
        lock (_gate)
        {
            _throttled++;
            _throttledTotal++;
        }
    }

    public long ThrottledTotal
    {
        get
        {
            lock (_gate)
                return _throttledTotal;
        }
    }

    /// <summary>What happened since the last call, and a fresh window.</summary>
    public PressureWindow TakeWindow()
    {
        List<double> samples;
        int count, refused, throttled;
        lock (_gate)
        {
            (samples, count, refused, throttled) = (_milliseconds, _count, _refused, _throttled);
            _milliseconds = [];
            _count = _refused = _throttled = 0;
        }
        return new PressureWindow(count, Percentile(samples, 0.9), refused, throttled);
    }

    private static double Percentile(List<double> samples, double p)
    {
        if (samples.Count == 0)
            return 0;
        samples.Sort();
        return samples[Math.Clamp((int)Math.Ceiling(p * samples.Count) - 1, 0, samples.Count - 1)];
    }
}

/// <summary>One window of <see cref="IntakePressure"/>: sign-ups intake took in, their p90 in milliseconds, refusals, throttled storage calls.</summary>
public sealed record PressureWindow(int IntakeCount, double IntakeP90Milliseconds, int Refused, int Throttled);
