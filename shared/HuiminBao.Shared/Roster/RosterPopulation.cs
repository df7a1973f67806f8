using System.Text.Json;
using HuiminBao.Domain;

namespace HuiminBao.Roster;

/// <summary>
/// Active basic-insurance persons per district and scheme, as counted by a roster import: the
/// denominator of 参保率 (enrolled ÷ population). Keys are <c>district|scheme</c>.
/// </summary>
public sealed class RosterPopulation
{
    private readonly Dictionary<string, long> _counts;

    private RosterPopulation(Dictionary<string, long> counts) => _counts = counts;

    public static RosterPopulation Empty() => new(new Dictionary<string, long>(StringComparer.Ordinal));

    public static RosterPopulation Read(string json) =>
        new(JsonSerializer.Deserialize(string.IsNullOrEmpty(json) ? "{}" : json, RosterJson.Default.DictionaryStringInt64) ?? new Dictionary<string, long>(StringComparer.Ordinal));

    public string Write() => JsonSerializer.Serialize(_counts, RosterJson.Default.DictionaryStringInt64);

    /// <summary>Counts a row that was imported; only active persons are the population.</summary>
    public void Count(RosterRow row)
    {
        if (row.Status != InsuranceStates.Active)
            return;
        var key = row.District + "|" + row.Scheme;
        _counts[key] = _counts.GetValueOrDefault(key) + 1;
    }

    public IEnumerable<string> Districts => _counts.Keys.Select(k => k[..k.IndexOf('|', StringComparison.Ordinal)]).Distinct(StringComparer.Ordinal);

    public IEnumerable<(string District, string Scheme, long Count)> Entries =>
        _counts.Select(c => (c.Key[..c.Key.IndexOf('|', StringComparison.Ordinal)], c.Key[(c.Key.IndexOf('|', StringComparison.Ordinal) + 1)..], c.Value));
}
