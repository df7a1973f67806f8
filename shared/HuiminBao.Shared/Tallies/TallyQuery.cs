using System.Globalization;
using HuiminBao.Domain;
using HuiminBao.Enrollment;
using HuiminBao.Roster;
using Microsoft.Extensions.Options;

namespace HuiminBao.Tallies;

/// <summary>
/// <c>GET /api/tallies?from=&amp;to=&amp;planYear=</c>, and the same figures for the dashboard and
/// the daily report. Whatever <c>from</c> is, the counters are read from the window's start so
/// <c>cumulative</c> is a running total from the first day; that costs nothing extra, because a
/// shard's counters for up to 1000 days come back in one page (see <see cref="TallyCounters"/>).
/// </summary>
public sealed class TallyQuery(TallyCounters counters, RosterPopulations populations, IOptions<EnrollmentOptions> options, TimeProvider time)
{
    public const int MaxDays = TallyCounters.DaysPerPage;

    public async Task<Outcome<TallyReport>> GetAsync(string? from, string? to, string? planYear, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        var fromDay = ParseDay(from, "from", errors);
        var toDay = ParseDay(to, "to", errors);
        var year = ParsePlanYear(planYear, errors);
        if (errors.Count == 0 && fromDay is { } f && toDay is { } t)
        {
            if (f > t)
                errors.Add(FieldError.Of("from", ErrorCodes.TallyRangeInverted));
            else if (t.DayNumber - f.DayNumber + 1 > MaxDays)
                errors.Add(FieldError.Of("to", ErrorCodes.TallyRangeTooLong));
        }
        if (errors.Count > 0)
            return Invalid(errors);

        return await ReadAsync(year ?? options.Value.EffectivePlanYear(time), fromDay, toDay, cancellationToken);
    }

    /// <summary>A refused query answers 400 with its first field's code as the problem's code (the dashboard shows that one).</summary>
    public static ApiProblem Invalid(IReadOnlyList<FieldError> errors) =>
        new(400, errors[0].Code, ErrorMessages.For(errors[0].Code), string.Join("；", errors.Select(e => e.Message).Distinct()), errors);

    /// <param name="from">Null: from the window's start (at most <see cref="MaxDays"/> days before <paramref name="to"/>).</param>
    /// <param name="to">Null: today (Beijing).</param>
    public async Task<TallyReport> ReadAsync(int planYear, DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var today = BeijingTime.DayOf(now);
        var last = to ?? today;
        var windowStart = WindowStart(planYear);
        // From the window's start (or from `from`, if ops ask about days before it); with no
        // configured start, every counter of the plan year up to `to`.
        DateOnly? first = windowStart is { } opened && from is { } asked && asked < opened ? asked : windowStart;
        var counting = counters.ReadAsync(planYear, first, last, cancellationToken);
        var population = await populations.ForPlanYearAsync(planYear, cancellationToken);
        var days = await counting;

        var start = windowStart ?? (days.Count > 0 ? days.Keys.First() : null);
        var rangeFrom = from ?? (start is { } s && s <= last ? s : last);
        if (last.DayNumber - rangeFrom.DayNumber + 1 > MaxDays)
            rangeFrom = last.AddDays(1 - MaxDays);
        return Build(planYear, start, rangeFrom, last, today, BeijingTime.ToBeijing(now), days, population);
    }

    /// <summary>The Beijing day enrollment opened for <paramref name="planYear"/>, when the configured window is that year's.</summary>
    public DateOnly? WindowStart(int planYear)
    {
        var window = options.Value;
        return window.OpensAt is { } opens && planYear == window.EffectivePlanYear(time) ? BeijingTime.DayOf(opens) : null;
    }

    private static TallyReport Build(int planYear, DateOnly? windowStart, DateOnly from, DateOnly to, DateOnly today, DateTimeOffset asOf,
        SortedDictionary<DateOnly, Dictionary<string, long>> counted, PopulationSnapshot population)
    {
        var empty = new Dictionary<string, long>();
        var running = 0L;
        var inRange = new Dictionary<string, long>(StringComparer.Ordinal);
        var total = new Dictionary<string, long>(StringComparer.Ordinal);
        var reported = new List<TallyDay>(to.DayNumber - from.DayNumber + 1);

        // Days before `from` only feed the running totals.
        foreach (var (day, columns) in counted.Where(d => d.Key < from))
        {
            running += columns.GetValueOrDefault(TallyColumns.Enrolled);
            Add(total, columns);
        }
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            var columns = counted.GetValueOrDefault(day) ?? empty;
            var enrolled = columns.GetValueOrDefault(TallyColumns.Enrolled);
            running += enrolled;
            Add(total, columns);
            Add(inRange, columns);
            reported.Add(new TallyDay(day, enrolled, running,
                Breakdown(columns, TallyColumns.DistrictPrefix), Breakdown(columns, TallyColumns.SchemePrefix), Breakdown(columns, TallyColumns.RelationPrefix)));
        }

        var inRangeDistricts = Breakdown(inRange, TallyColumns.DistrictPrefix);
        var totalDistricts = Breakdown(total, TallyColumns.DistrictPrefix);
        var districts = Districts.Known.Select(d => d.Code).Union(totalDistricts.Keys, StringComparer.Ordinal).Union(population.Districts.Keys, StringComparer.Ordinal)
            .Select(code =>
            {
                var cumulative = totalDistricts.GetValueOrDefault(code);
                var people = population.Of(code);
                return new DistrictTally(code, Districts.NameOf(code), inRangeDistricts.GetValueOrDefault(code), cumulative, people, DistrictTally.RateOf(cumulative, people));
            })
            .OrderByDescending(d => d.Cumulative)
            .ThenBy(d => d.Code, StringComparer.Ordinal)
            .ToList();

        return new TallyReport(planYear, windowStart, from, to, today, asOf,
            inRange.GetValueOrDefault(TallyColumns.Enrolled), running, reported, districts,
            Breakdown(total, TallyColumns.SchemePrefix), Breakdown(total, TallyColumns.RelationPrefix))
        {
            Population = population.Districts.Count == 0 ? null : population.Total,
            Rate = population.Districts.Count == 0 ? null : DistrictTally.RateOf(running, population.Total),
            PopulationAsOf = population.AsOf,
            SchemePopulation = population.Districts.Count == 0 ? null : population.Schemes,
        };
    }

    private static void Add(Dictionary<string, long> into, Dictionary<string, long> columns)
    {
        foreach (var (name, value) in columns)
            into[name] = into.GetValueOrDefault(name) + value;
    }

    /// <summary>The columns with one prefix, keyed without it (<c>D410502</c> → <c>410502</c>), zero counts left out.</summary>
    private static SortedDictionary<string, long> Breakdown(Dictionary<string, long> columns, string prefix)
    {
        var breakdown = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (name, value) in columns)
        {
            if (value != 0 && name.Length > prefix.Length && name.StartsWith(prefix, StringComparison.Ordinal))
                breakdown[name[prefix.Length..]] = value;
        }
        return breakdown;
    }

    private static DateOnly? ParseDay(string? value, string field, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return day;
        errors.Add(FieldError.Of(field, ErrorCodes.TallyDateInvalid));
        return null;
    }

    private static int? ParsePlanYear(string? value, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year is >= 2000 and <= 2100)
            return year;
        errors.Add(FieldError.Of("planYear", ErrorCodes.PlanYearInvalid));
        return null;
    }
}
