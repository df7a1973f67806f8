using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using HuiminBao.Enrollment;
using HuiminBao.LaunchDay.Harness;

namespace HuiminBao.LaunchDay.Audit;

/// <summary>The tallies ops see, against a recount from the enrollment rows.</summary>
internal static class TallyRecount
{
    /// <summary>Per day, and per district, scheme and relation: the counters' columns must equal the rows' count.</summary>
    public static IEnumerable<string> Check(IReadOnlyCollection<TableEntity> counters, IReadOnlyCollection<EnrollmentRow> rows)
    {
        var counted = counters.GroupBy(c => EnrollmentKeys.DayOfCounterRow(c.RowKey).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
            .ToDictionary(g => g.Key, g => g.Sum(c => c.GetInt64(TallyColumns.Enrolled) ?? 0));
        var recounted = rows.GroupBy(r => r.Day).ToDictionary(g => g.Key, g => (long)g.Count());
        foreach (var day in counted.Keys.Union(recounted.Keys))
        {
            if (counted.GetValueOrDefault(day) != recounted.GetValueOrDefault(day))
                yield return $"tally for {day} is {counted.GetValueOrDefault(day)} but the enrollment rows count {recounted.GetValueOrDefault(day)}";
        }

        var breakdowns = new (string Name, Func<EnrollmentRow, string> Column)[]
        {
            ("district", r => TallyColumns.District(r.District)),
            ("scheme", r => TallyColumns.Scheme(r.Scheme)),
            ("relation", r => TallyColumns.Relation(r.Relation)),
        };
        foreach (var (name, column) in breakdowns)
        {
            foreach (var group in rows.GroupBy(column))
            {
                var tallied = counters.Sum(c => c.GetInt64(group.Key) ?? 0);
                if (tallied != group.Count())
                    yield return $"{name} column {group.Key} tallied {tallied} but the rows count {group.Count()}";
            }
        }
    }

    /// <summary>What <c>GET /api/tallies</c> tells ops as the cumulative total must be the number of enrollment rows.</summary>
    public static async Task<IEnumerable<string>> CheckOpsRouteAsync(PipelineStack stack, int enrollmentRows)
    {
        using var request = PipelineStack.Ops(HttpMethod.Get, "/api/tallies");
        using var response = await stack.Client.SendAsync(request);
        if (!response.IsSuccessStatusCode)
            return [$"GET /api/tallies answered {(int)response.StatusCode}"];
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        var cumulative = report.GetProperty("cumulative").GetInt64();
        return cumulative == enrollmentRows ? [] : [$"GET /api/tallies says {cumulative} enrolled in total, but there are {enrollmentRows} enrollment rows"];
    }
}
