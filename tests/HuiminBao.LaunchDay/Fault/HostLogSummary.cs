using System.Text.RegularExpressions;

namespace HuiminBao.LaunchDay.Fault;

/// <summary>
/// The local host's warnings and errors by logger and event id (the console's simple format starts
/// each entry with <c>warn: Category[EventId]</c>), so a run's report says what went wrong how often.
/// </summary>
public static partial class HostLogSummary
{
    public static IReadOnlyList<(string Entry, int Count)> Summarize(IEnumerable<string> lines, params string[] levels) =>
        [.. lines.Select(line => Header().Match(line))
            .Where(m => m.Success && levels.Contains(m.Groups["level"].Value))
            .GroupBy(m => m.Value.TrimEnd())
            .Select(g => (g.Key, g.Count()))
            .OrderByDescending(e => e.Item2)];

    [GeneratedRegex(@"^(?<level>trce|dbug|info|warn|fail|crit): [^\s]+\[\d+\]")]
    private static partial Regex Header();
}
