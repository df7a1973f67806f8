using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HuiminBao.Domain;
using HuiminBao.Enrollment;
using HuiminBao.Storage;
using HuiminBao.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace HuiminBao.Tests.Tallies;

[Collection(AzuriteCollection.Name)]
public sealed class TallyQueryTests(AzuriteFixture azurite)
{
    /// <summary>8 March 2026, 10:00 Beijing.</summary>
    private static readonly DateTimeOffset Now = new(2026, 3, 8, 10, 0, 0, BeijingTime.Offset);

    private static readonly Dictionary<DateOnly, int> PerDay = new()
    {
        [new(2026, 3, 1)] = 7,
        [new(2026, 3, 3)] = 12,
        [new(2026, 3, 4)] = 5,
        [new(2026, 3, 5)] = 9,
        [new(2026, 3, 6)] = 14,
        [new(2026, 3, 7)] = 6,
        [new(2026, 3, 8)] = 4,
    };

    [Fact]
    public async Task Cumulative_for_March_6_is_the_sum_of_every_day_since_the_window_opened_even_when_from_is_later()
    {
        await using var host = await StartAsync();
        var seeded = await TallySeed.EnrollAsync(host, PerDay);

        var report = await host.TalliesAsync("?from=2026-03-05&to=2026-03-06");

        Assert.Equal("2026-03-01", report.GetProperty("windowStart").GetString());
        Assert.Equal("2026-03-08", report.GetProperty("today").GetString());
        var days = report.GetProperty("days").EnumerateArray().ToList();
        Assert.Equal(["2026-03-05", "2026-03-06"], days.Select(d => d.GetProperty("day").GetString()));
        foreach (var day in days)
        {
            var date = DateOnly.Parse(day.GetProperty("day").GetString()!, CultureInfo.InvariantCulture);
            var ofDay = seeded.Where(e => e.Day == date).ToList();
            Assert.Equal(ofDay.Count, day.GetProperty("enrolled").GetInt64());
            Assert.Equal(seeded.Count(e => e.Day <= date), day.GetProperty("cumulative").GetInt64());
            Assert.Equal(Counts(ofDay, TallySeed.DistrictCode), Map(day.GetProperty("districts")));
            Assert.Equal(Counts(ofDay, e => e.Scheme), Map(day.GetProperty("schemes")));
            Assert.Equal(Counts(ofDay, e => e.Relation), Map(day.GetProperty("relations")));
        }
        // March 6: 7 + 0 + 12 + 5 + 9 + 14.
        Assert.Equal(47, days[1].GetProperty("cumulative").GetInt64());
        Assert.Equal(23, report.GetProperty("enrolled").GetInt64());
        Assert.Equal(47, report.GetProperty("cumulative").GetInt64());

        var upToMarch6 = seeded.Where(e => e.Day <= new DateOnly(2026, 3, 6)).ToList();
        var districts = report.GetProperty("districts").EnumerateArray().ToList();
        Assert.Equal(Counts(upToMarch6, TallySeed.DistrictCode), districts.Where(d => d.GetProperty("cumulative").GetInt64() > 0)
            .ToDictionary(d => d.GetProperty("code").GetString()!, d => d.GetProperty("cumulative").GetInt64()));
        Assert.Equal(districts.Select(d => d.GetProperty("cumulative").GetInt64()).OrderDescending(), districts.Select(d => d.GetProperty("cumulative").GetInt64()));
        Assert.Contains(districts, d => d.GetProperty("code").GetString() == "410526" && d.GetProperty("name").GetString() == "滑县" && d.GetProperty("cumulative").GetInt64() == 0);
        Assert.Equal("文峰区", districts.Single(d => d.GetProperty("code").GetString() == "410502").GetProperty("name").GetString());
        Assert.Equal("未知区县", districts.Single(d => d.GetProperty("code").GetString() == "000000").GetProperty("name").GetString());
        Assert.Equal(Counts(upToMarch6, e => e.Scheme), Map(report.GetProperty("schemes")));
    }

    [Fact]
    public async Task Csv_has_a_header_row_and_the_same_figures_as_the_json()
    {
        await using var host = await StartAsync();
        var seeded = await TallySeed.EnrollAsync(host, PerDay, seed: 2);
        var json = await host.TalliesAsync("?from=2026-03-02&to=2026-03-07");

        using var response = await host.OpsGetAsync("/api/tallies?from=2026-03-02&to=2026-03-07", accept: "text/csv");
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("tallies-2026-20260302-20260307.csv", response.Content.Headers.ContentDisposition?.ToString(), StringComparison.Ordinal);
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        Assert.Equal(["day", "enrolled", "cumulative", "population", "rate", "district_410502"], header[..6]);
        Assert.Contains("district_410526", header);
        Assert.Contains("scheme_employee", header);
        Assert.Contains("relation_parent", header);

        var days = json.GetProperty("days").EnumerateArray().ToList();
        Assert.Equal(days.Count, lines.Length - 1);
        for (var i = 0; i < days.Count; i++)
        {
            var row = header.Zip(lines[i + 1].Split(',')).ToDictionary(p => p.First, p => p.Second);
            Assert.Equal(days[i].GetProperty("day").GetString(), row["day"]);
            Assert.Equal(days[i].GetProperty("enrolled").GetInt64().ToString(CultureInfo.InvariantCulture), row["enrolled"]);
            Assert.Equal(days[i].GetProperty("cumulative").GetInt64().ToString(CultureInfo.InvariantCulture), row["cumulative"]);
            foreach (var (code, count) in Map(days[i].GetProperty("districts")))
                Assert.Equal(count.ToString(CultureInfo.InvariantCulture), row["district_" + code]);
        }
        Assert.Equal(seeded.Count(e => e.Day <= new DateOnly(2026, 3, 7)).ToString(CultureInfo.InvariantCulture), lines[^1].Split(',')[2]);

        using var preferred = await host.OpsGetAsync("/api/tallies", accept: "application/json, text/csv;q=0.5");
        Assert.Equal("application/json", preferred.Content.Headers.ContentType?.MediaType);
        using var link = await host.OpsGetAsync("/api/tallies?format=csv");
        Assert.Equal("text/csv", link.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Reading_90_days_takes_one_storage_call_per_shard_and_one_for_the_population()
    {
        await using var host = await StartAsync();
        await TallySeed.EnrollAsync(host, PerDay, seed: 3);
        var calls = host.Services.GetRequiredService<StorageCallCounter>();

        var before = calls.ByOperation.GetValueOrDefault("table GET");
        var report = await host.TalliesAsync("?from=2026-01-01&to=2026-03-31");
        var used = calls.ByOperation.GetValueOrDefault("table GET") - before;

        Assert.Equal(90, report.GetProperty("days").GetArrayLength());
        Assert.Equal(EnrollmentKeys.ShardCount + 1, used);
        Assert.Equal(17, used);
        Assert.Equal(PerDay.Values.Sum(), report.GetProperty("cumulative").GetInt64());
    }

    [Fact]
    public async Task Without_dates_the_tally_runs_from_the_window_start_to_today()
    {
        await using var host = await StartAsync();
        await TallySeed.EnrollAsync(host, PerDay, seed: 4);

        var report = await host.TalliesAsync();

        Assert.Equal("2026-03-01", report.GetProperty("from").GetString());
        Assert.Equal("2026-03-08", report.GetProperty("to").GetString());
        var days = report.GetProperty("days").EnumerateArray().ToList();
        Assert.Equal(8, days.Count);
        Assert.Equal(0, days[1].GetProperty("enrolled").GetInt64());
        Assert.Equal(7, days[1].GetProperty("cumulative").GetInt64());
        Assert.Equal(4, days[^1].GetProperty("enrolled").GetInt64());
        Assert.Equal(PerDay.Values.Sum(), days[^1].GetProperty("cumulative").GetInt64());
        Assert.Equal(PerDay.Values.Sum(), report.GetProperty("enrolled").GetInt64());
        Assert.StartsWith("2026-03-08T10:00:00", report.GetProperty("asOf").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("+08:00", report.GetProperty("asOf").GetString(), StringComparison.Ordinal);

        var otherYear = await host.TalliesAsync("?planYear=2025&from=2026-03-01&to=2026-03-02");
        Assert.Equal(0, otherYear.GetProperty("cumulative").GetInt64());
    }

    [Theory]
    [InlineData("?from=2026-03-07&to=2026-03-01", "tally-range-inverted", "开始日期不能晚于结束日期")]
    [InlineData("?from=2026-3-1&to=2026-03-07", "tally-date-invalid", "日期格式应为 yyyy-MM-dd，例如 2026-03-06")]
    [InlineData("?to=March", "tally-date-invalid", "日期格式应为 yyyy-MM-dd，例如 2026-03-06")]
    [InlineData("?from=2023-01-01&to=2026-03-07", "tally-range-too-long", "一次最多查询 1000 天，请缩短日期范围")]
    [InlineData("?planYear=26", "plan-year-invalid", "投保年度应为 2000 到 2100 之间的年份")]
    public async Task Bad_query_parameters_are_a_400_problem_with_a_stable_code(string query, string code, string title)
    {
        await using var host = await StartAsync();

        using var response = await host.OpsGetAsync("/api/tallies" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal(title, problem.GetProperty("title").GetString());
        Assert.Equal(code, problem.GetProperty("errors")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task Tallies_need_the_ops_key()
    {
        await using var host = await StartAsync();

        using var response = await host.OpsGetAsync("/api/tallies", withKey: false);
        using var wrong = await host.Client.GetAsync("/api/tallies?code=not-the-key");
        using var byCode = await host.Client.GetAsync($"/api/tallies?code={PipelineHost.OpsKey}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("ops-key-required", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byCode.StatusCode);
    }

    private Task<PipelineHost> StartAsync() =>
        PipelineHost.StartAsync(azurite, TallySeed.Settings(), s => s.AddSingleton<TimeProvider>(new FakeTimeProvider(Now)), insurance: new InMemoryInsurance());

    private static Dictionary<string, long> Counts(IEnumerable<SeededEnrollment> enrollments, Func<SeededEnrollment, string> key) =>
        enrollments.GroupBy(key).ToDictionary(g => g.Key, g => (long)g.Count());

    private static Dictionary<string, long> Map(JsonElement element) =>
        element.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
}
