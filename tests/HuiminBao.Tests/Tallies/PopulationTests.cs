using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using HuiminBao.Domain;
using HuiminBao.Roster;
using HuiminBao.Tests.Infrastructure;
using HuiminBao.Tests.Roster;
using Microsoft.Extensions.DependencyInjection;

namespace HuiminBao.Tests.Tallies;

/// <summary>参保率: enrolled ÷ the basic-insurance population the roster imports counted, per district and in total.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class PopulationTests(AzuriteFixture azurite)
{
    private static string Scheme(SyntheticPerson p) => p.Scheme == "职工" ? InsuranceSchemes.Employee : InsuranceSchemes.Resident;

    private static Dictionary<string, long> Active(IEnumerable<SyntheticPerson> people, Func<SyntheticPerson, string> key) =>
        people.Where(p => p.IsActive).GroupBy(key).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);

    [Fact]
    public async Task An_import_that_crashes_and_resumes_counts_each_active_person_once_by_district_and_scheme()
    {
        using var host = await RosterTestHost.StartAsync(azurite, new Dictionary<string, string?> { ["RosterImport:CheckpointRows"] = "1000" });
        var people = new SyntheticRoster(43).People(3_000).ToList();
        var file = RosterFiles.Of(people, new RosterCsvFormat { Gbk = true });
        var importId = await host.RegisterAsync(file);

        await Assert.ThrowsAsync<IOException>(() => host.Import.RunAsync(new RosterImportJob(importId, _ => Task.FromResult<Stream>(new CutStream(file, file.Length * 3 / 4))), default));
        await host.RunAsync(importId, file);

        var population = await host.Services.GetRequiredService<RosterPopulations>().ForPlanYearAsync(2026, default);
        Assert.Equal(Active(people, p => p.District), population.Districts);
        Assert.Equal(Active(people, Scheme), population.Schemes);
        Assert.True(people.Count(p => p.IsActive) < people.Count, "some people on the roster are suspended or terminated and not counted");
    }

    [Fact]
    public async Task Tallies_give_population_and_rate_per_district_and_in_total_and_a_newer_roster_replaces_rather_than_adds()
    {
        await using var host = await PipelineHost.StartAsync(azurite, TallySeed.Settings(listeners: true), insurance: new InMemoryInsurance());
        var full = new SyntheticRoster(44).People(2_000).ToList();
        await ImportAsync(host, RosterFiles.Of(full, new RosterCsvFormat { Gbk = true }), "2026-02-20");
        var seeded = await TallySeed.EnrollAsync(host, new Dictionary<DateOnly, int> { [new(2026, 3, 1)] = 40, [new(2026, 3, 2)] = 25 });

        var report = await host.TalliesAsync("?to=2026-03-02");
        var population = Active(full, p => p.District);
        Assert.Equal(population.Values.Sum(), report.GetProperty("population").GetInt64());
        Assert.Equal(Math.Round(65.0 / population.Values.Sum(), 6), report.GetProperty("rate").GetDouble());
        foreach (var district in report.GetProperty("districts").EnumerateArray())
        {
            var code = district.GetProperty("code").GetString()!;
            if (!population.TryGetValue(code, out var people))
            {
                Assert.False(district.TryGetProperty("population", out _), $"{code} has no population");
                continue;
            }
            Assert.Equal(people, district.GetProperty("population").GetInt64());
            var enrolled = seeded.Count(e => TallySeed.DistrictCode(e) == code);
            Assert.Equal(enrolled, district.GetProperty("cumulative").GetInt64());
            Assert.Equal(Math.Round((double)enrolled / people, 6), district.GetProperty("rate").GetDouble());
        }

        // The same file again is the same import: nothing counted twice.
        await ImportAsync(host, RosterFiles.Of(full, new RosterCsvFormat { Gbk = true }), "2026-02-20");
        Assert.Equal(population.Values.Sum(), (await host.TalliesAsync("?to=2026-03-02")).GetProperty("population").GetInt64());

        // A newer roster of one district replaces that district's count; the others stay.
        var wenfeng = new SyntheticRoster(45).People(1_500).Where(p => p.District == "410502").ToList();
        await ImportAsync(host, RosterFiles.Of(wenfeng, new RosterCsvFormat { Gbk = true }), "2026-03-01");
        var updated = await host.TalliesAsync("?to=2026-03-02");
        var expected = new Dictionary<string, long>(population) { ["410502"] = wenfeng.Count(p => p.IsActive) };
        Assert.Equal(expected.Values.Sum(), updated.GetProperty("population").GetInt64());
        Assert.Equal(expected["410502"], updated.GetProperty("districts").EnumerateArray().Single(d => d.GetProperty("code").GetString() == "410502").GetProperty("population").GetInt64());
        Assert.Equal("2026-03-01", updated.GetProperty("populationAsOf").GetString());

        using var csv = await host.OpsGetAsync("/api/tallies?to=2026-03-02", accept: "text/csv");
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        var last = lines[^1].Split(',');
        Assert.Equal(expected.Values.Sum().ToString(System.Globalization.CultureInfo.InvariantCulture), last[Array.IndexOf(header, "population")]);
        Assert.Equal(Math.Round(65.0 / expected.Values.Sum(), 6), double.Parse(last[Array.IndexOf(header, "rate")], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("rate_410502", header);
    }

    [Fact]
    public async Task Without_a_roster_there_is_no_population_and_no_rate()
    {
        await using var host = await PipelineHost.StartAsync(azurite, TallySeed.Settings(), insurance: new InMemoryInsurance());
        await TallySeed.EnrollAsync(host, new Dictionary<DateOnly, int> { [new(2026, 3, 1)] = 3 });

        var report = await host.TalliesAsync();

        Assert.False(report.TryGetProperty("population", out _));
        Assert.False(report.TryGetProperty("rate", out _));
    }

    private static async Task ImportAsync(PipelineHost host, byte[] file, string asOf)
    {
        using var upload = new HttpRequestMessage(HttpMethod.Post, $"/api/ops/roster-imports?asOf={asOf}") { Content = new ByteArrayContent(file) };
        upload.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("text/csv");
        upload.Headers.Add("x-functions-key", PipelineHost.OpsKey);
        using var accepted = await host.Client.SendAsync(upload);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var location = accepted.Headers.Location!.OriginalString;
        await Eventually.ReturnsAsync(async () =>
        {
            using var status = await host.OpsGetAsync(location);
            return (await status.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString();
        }, state => state == RosterImportStates.Completed, TimeSpan.FromSeconds(60), "the roster imported");
    }

    /// <summary>A file whose read fails part-way, as a dropped blob download would.</summary>
    private sealed class CutStream(byte[] bytes, int failAt) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => Position >= failAt ? throw new IOException("connection reset") : base.Read(buffer, offset, Math.Min(count, 4096));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Position >= failAt ? throw new IOException("connection reset") : base.ReadAsync(buffer[..Math.Min(buffer.Length, 4096)], cancellationToken);
    }
}
