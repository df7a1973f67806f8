namespace HuiminBao.DevHost.Queues;

/// <summary>
/// The Functions queue trigger's polling back-off: after an empty receive the wait doubles, with
/// jitter, from 100 ms up to <c>maxPollingInterval</c>; a message resets it.
/// </summary>
public sealed class PollingBackoff(TimeSpan maximum)
{
    private static readonly TimeSpan Minimum = TimeSpan.FromMilliseconds(100);
    private TimeSpan _current = TimeSpan.Zero;

    public TimeSpan Next()
    {
        var doubled = _current == TimeSpan.Zero ? Minimum : _current * 2;
        var jittered = doubled * (0.8 + Random.Shared.NextDouble() * 0.4);
        _current = jittered > maximum ? maximum : jittered < Minimum ? Minimum : jittered;
        return _current;
    }

    public void Reset() => _current = TimeSpan.Zero;
}
