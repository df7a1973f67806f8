using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace HuiminBao.LaunchDay.Fault;

/// <summary>What happened when, from the run's start: injected faults and recoveries, for the report.</summary>
public sealed class FaultTimeline(TextWriter? live = null)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentQueue<(TimeSpan At, string What)> _events = new();

    public TimeSpan Elapsed => _clock.Elapsed;

    public void Record(string what)
    {
        var at = _clock.Elapsed;
        _events.Enqueue((at, what));
        live?.WriteLine($"  [{Format(at)}] {what}");
    }

    public IReadOnlyList<(TimeSpan At, string What)> Events => [.. _events];

    public override string ToString() => string.Join('\n', _events.Select(e => $"  {Format(e.At)}  {e.What}"));

    public static string Format(TimeSpan at) => at.ToString(@"hh\:mm\:ss\.f", CultureInfo.InvariantCulture);
}
