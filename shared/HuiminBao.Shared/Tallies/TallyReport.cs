namespace HuiminBao.Tallies;

/// <summary>
/// <c>GET /api/tallies</c>: per Beijing day from <see cref="From"/> to <see cref="To"/>, and the
/// totals as of <see cref="To"/>. <c>cumulative</c> always counts from the window's start, however
/// late <see cref="From"/> is.
/// </summary>
/// <param name="WindowStart">The Beijing day enrollment opened (<c>Enrollment:OpensAt</c>), or the first day with a count when that isn't set.</param>
/// <param name="Today">The Beijing day now, by the server's clock, so the dashboard never trusts the browser's.</param>
/// <param name="Enrolled">Enrolled from <see cref="From"/> to <see cref="To"/>.</param>
/// <param name="Cumulative">Enrolled from the window's start to <see cref="To"/>.</param>
/// <param name="Districts">Every known district (zero included) and any other code counted, most enrolled first.</param>
/// <param name="Schemes">Cumulative by basic-insurance scheme (<c>employee</c>, <c>resident</c>).</param>
/// <param name="Relations">Cumulative by relation to the applicant.</param>
/// <param name="Population">Active basic-insurance persons of the plan year, from the roster imports; null when none was imported.</param>
/// <param name="Rate">参保率: <see cref="Cumulative"/> ÷ <see cref="Population"/>, or null.</param>
/// <param name="PopulationAsOf">The date of the newest roster the population was counted from.</param>
public sealed record TallyReport(
    int PlanYear,
    DateOnly? WindowStart,
    DateOnly From,
    DateOnly To,
    DateOnly Today,
    DateTimeOffset AsOf,
    long Enrolled,
    long Cumulative,
    IReadOnlyList<TallyDay> Days,
    IReadOnlyList<DistrictTally> Districts,
    IReadOnlyDictionary<string, long> Schemes,
    IReadOnlyDictionary<string, long> Relations,
    long? Population = null,
    double? Rate = null,
    string? PopulationAsOf = null,
    IReadOnlyDictionary<string, long>? SchemePopulation = null);

/// <summary>One Beijing day: enrolled that day, the running total from the window's start, and that day's breakdowns.</summary>
/// <param name="Districts">Enrolled that day by district code; districts with none are left out.</param>
public sealed record TallyDay(
    DateOnly Day,
    long Enrolled,
    long Cumulative,
    IReadOnlyDictionary<string, long> Districts,
    IReadOnlyDictionary<string, long> Schemes,
    IReadOnlyDictionary<string, long> Relations);

/// <param name="Enrolled">From the report's <c>from</c> to its <c>to</c>.</param>
/// <param name="Cumulative">From the window's start to the report's <c>to</c>.</param>
/// <param name="Population">The district's active basic-insurance persons, or null when no roster covered it.</param>
/// <param name="Rate">参保率: <paramref name="Cumulative"/> ÷ <paramref name="Population"/>, or null.</param>
public sealed record DistrictTally(string Code, string Name, long Enrolled, long Cumulative, long? Population = null, double? Rate = null)
{
    public static double? RateOf(long enrolled, long? population) => population is > 0 ? Math.Round((double)enrolled / population.Value, 6) : null;
}
