using System.Globalization;
using System.Text;
using HuiminBao.Domain;
using Microsoft.Net.Http.Headers;

namespace HuiminBao.Tallies;

/// <summary>
/// The tally as CSV (RFC 4180): one row per day with the JSON's fields, breakdowns flattened into
/// columns. The header is ASCII and the columns don't depend on the data for the known districts,
/// schemes and relations, so a spreadsheet built on last week's export still lines up.
/// </summary>
public static class TallyCsv
{
    public const string ContentType = "text/csv";

    private static readonly string[] KnownSchemes = ["employee", "resident"];
    private static readonly string[] KnownRelations = ["self", "spouse", "child", "parent"];

    public static string Write(TallyReport report)
    {
        var districts = Columns(Districts.Known.Select(d => d.Code), report.Days.SelectMany(d => d.Districts.Keys));
        var schemes = Columns(KnownSchemes, report.Days.SelectMany(d => d.Schemes.Keys));
        var relations = Columns(KnownRelations, report.Days.SelectMany(d => d.Relations.Keys));
        var rated = Columns(Districts.Known.Select(d => d.Code), report.Districts.Where(d => d.Population is not null).Select(d => d.Code));
        var populationOf = report.Districts.ToDictionary(d => d.Code, d => d.Population, StringComparer.Ordinal);
        var districtCumulative = DistrictCumulativeByDay(report);

        var csv = new StringBuilder();
        csv.AppendJoin(',', ["day", "enrolled", "cumulative", "population", "rate",
            .. districts.Select(c => Field("district_" + c)), .. schemes.Select(c => Field("scheme_" + c)), .. relations.Select(c => Field("relation_" + c)),
            .. rated.Select(c => Field("rate_" + c))]);
        csv.Append("\r\n");
        foreach (var day in report.Days)
        {
            csv.AppendJoin(',', [day.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Number(day.Enrolled), Number(day.Cumulative),
                report.Population is { } population ? Number(population) : "", Rate(DistrictTally.RateOf(day.Cumulative, report.Population)),
                .. districts.Select(c => Number(day.Districts.GetValueOrDefault(c))),
                .. schemes.Select(c => Number(day.Schemes.GetValueOrDefault(c))),
                .. relations.Select(c => Number(day.Relations.GetValueOrDefault(c))),
                .. rated.Select(c => Rate(DistrictTally.RateOf(districtCumulative[day.Day].GetValueOrDefault(c), populationOf.GetValueOrDefault(c))))]);
            csv.Append("\r\n");
        }
        return csv.ToString();
    }

    /// <summary>
    /// Each day's running total per district: the report's cumulative as of its last day, less what
    /// the days after it added. (Days before the range only ever feed the running totals.)
    /// </summary>
    private static Dictionary<DateOnly, Dictionary<string, long>> DistrictCumulativeByDay(TallyReport report)
    {
        var running = report.Districts.ToDictionary(d => d.Code, d => d.Cumulative, StringComparer.Ordinal);
        var byDay = new Dictionary<DateOnly, Dictionary<string, long>>();
        foreach (var day in report.Days.Reverse())
        {
            byDay[day.Day] = new Dictionary<string, long>(running, StringComparer.Ordinal);
            foreach (var (code, enrolled) in day.Districts)
                running[code] = running.GetValueOrDefault(code) - enrolled;
        }
        return byDay;
    }

    /// <summary>
    /// True when the caller prefers CSV: <c>?format=csv</c> (a download link), or an Accept header
    /// that names <c>text/csv</c> at least as highly as <c>application/json</c>. <c>*/*</c> gets JSON.
    /// </summary>
    public static bool Preferred(string? format, IEnumerable<string?> accept)
    {
        if (string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase))
            return true;
        if (!MediaTypeHeaderValue.TryParseList([.. accept.Where(a => a is not null).Select(a => a!)], out var types))
            return false;
        double Quality(string mediaType) => types
            .Where(t => t.MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase))
            .Select(t => t.Quality ?? 1.0)
            .DefaultIfEmpty(0)
            .Max();
        var csv = Quality(ContentType);
        return csv > 0 && csv >= Quality("application/json");
    }

    private static List<string> Columns(IEnumerable<string> known, IEnumerable<string> found) =>
        [.. known, .. found.Except(known, StringComparer.Ordinal).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>Codes come from the roster, so a header field is quoted if it could break the row.</summary>
    private static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A fraction (0.083125), empty where there is no population to divide by.</summary>
    private static string Rate(double? rate) => rate is { } value ? value.ToString("0.######", CultureInfo.InvariantCulture) : "";
}
