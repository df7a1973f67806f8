namespace HuiminBao.Roster;

/// <summary>
/// A plan year's basic-insurance population (active persons) per district and scheme: for each
/// district, the count from the newest completed import that covers it. A full roster replaces
/// every district; a file per district replaces its own; importing the same file again changes
/// nothing (it is the same import). Empty when no roster was imported (a city on the 医保 service).
/// </summary>
public sealed record PopulationSnapshot(IReadOnlyDictionary<string, long> Districts, IReadOnlyDictionary<string, long> Schemes, string? AsOf)
{
    public static readonly PopulationSnapshot None = new(new Dictionary<string, long>(), new Dictionary<string, long>(), null);

    public long Total => Districts.Values.Sum();

    public long? Of(string district) => Districts.TryGetValue(district, out var count) ? count : null;
}

/// <summary>Reads <see cref="PopulationSnapshot"/>s from the roster imports' records: one query over a small partition.</summary>
public sealed class RosterPopulations(RosterImportRecords records)
{
    public async Task<PopulationSnapshot> ForPlanYearAsync(int planYear, CancellationToken cancellationToken)
    {
        var imports = (await records.CompletedAsync(planYear, cancellationToken))
            .OrderByDescending(r => r.AsOf, StringComparer.Ordinal)
            .ThenByDescending(r => r.CompletedAt)
            .Select(r => (r.AsOf, Population: RosterPopulation.Read(r.Population)))
            .ToList();
        if (imports.Count == 0)
            return PopulationSnapshot.None;

        var districts = new Dictionary<string, long>(StringComparer.Ordinal);
        var schemes = new Dictionary<string, long>(StringComparer.Ordinal);
        var covered = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, population) in imports)
        {
            // Districts a newer import already covered are that import's.
            var fresh = population.Districts.Where(covered.Add).ToHashSet(StringComparer.Ordinal);
            foreach (var (district, scheme, count) in population.Entries.Where(e => fresh.Contains(e.District)))
            {
                districts[district] = districts.GetValueOrDefault(district) + count;
                schemes[scheme] = schemes.GetValueOrDefault(scheme) + count;
            }
        }
        return new PopulationSnapshot(districts, schemes, imports[0].AsOf);
    }
}
