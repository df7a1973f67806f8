namespace HuiminBao.LaunchDay.Load;

/// <summary>Collects request latencies and statuses, and answers percentiles.</summary>
public sealed class LatencyRecorder
{
    private readonly List<double> _milliseconds = [];
    private readonly Dictionary<int, int> _statuses = [];
    private readonly Lock _lock = new();

    public void Record(TimeSpan latency, int status)
    {
        lock (_lock)
        {
            _milliseconds.Add(latency.TotalMilliseconds);
            _statuses[status] = _statuses.GetValueOrDefault(status) + 1;
        }
    }

    public int Count
    {
        get
        {
            lock (_lock)
                return _milliseconds.Count;
        }
    }

    public int CountOf(int status)
    {
        lock (_lock)
            return _statuses.GetValueOrDefault(status);
    }

    public string Statuses()
    {
        lock (_lock)
            return string.Join(", ", _statuses.OrderBy(s => s.Key).Select(s => $"{(s.Key == 0 ? "error" : s.Key.ToString(System.Globalization.CultureInfo.InvariantCulture))}: {s.Value:N0}"));
    }

    public double Percentile(double p)
    {
        lock (_lock)
        {
            if (_milliseconds.Count == 0)
                return double.NaN;
            var sorted = _milliseconds.Order().ToArray();
            return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
        }
    }
}
