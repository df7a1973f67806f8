using System.Globalization;

namespace HuiminBao.LaunchDay;

/// <summary><c>--name value</c> pairs after the mode, read with defaults; anything unknown is an error.</summary>
internal sealed class CommandLineOptions
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public CommandLineOptions(IEnumerable<string> args)
    {
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var name = e.Current;
            if (!name.StartsWith("--", StringComparison.Ordinal) || !e.MoveNext())
                throw new ArgumentException($"Expected '--name value', got '{name}'.");
            _values[name[2..]] = e.Current;
        }
    }

    public int Int(string name, int fallback) => Read(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) => Read(name) is { } value ? double.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public string? Text(string name) => Read(name);

    /// <summary>Seconds.</summary>
    public TimeSpan Seconds(string name, TimeSpan fallback) => Read(name) is { } value ? TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) : fallback;

    /// <summary>Throws for options nobody asked about (a typo must not silently run the default).</summary>
    public void EnsureAllRead()
    {
        var unknown = _values.Keys.Where(k => !_read.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException("Unknown options: " + string.Join(", ", unknown.Select(k => "--" + k)));
    }

    private string? Read(string name)
    {
        _read.Add(name);
        return _values.GetValueOrDefault(name);
    }
}
