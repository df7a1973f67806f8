using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HuiminBao.DevHost.Azurite;
using HuiminBao.Domain;
using HuiminBao.Tests.Infrastructure;
using HuiminBao.Tests.Tallies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace HuiminBao.Tests.Dashboard;

/// <summary>
/// The dashboard in a real headless Chromium (Debian's, driven by playwright-core from npm) against a
/// running local host. Chromium is required, not optional: CI installs it (apt-get install chromium).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class DashboardBrowserTests(AzuriteFixture azurite)
{
    /// <summary>6 March 2026, 15:30 Beijing.</summary>
    private static readonly DateTimeOffset Now = new(2026, 3, 6, 15, 30, 0, BeijingTime.Offset);

    [Fact]
    public async Task Headless_Chromium_renders_the_numbers_the_api_returns_and_takes_a_screenshot()
    {
        await using var host = await StartAsync();
        await TallySeed.EnrollAsync(host, new Dictionary<DateOnly, int>
        {
            [new(2026, 3, 1)] = 18, [new(2026, 3, 2)] = 25, [new(2026, 3, 3)] = 9,
            [new(2026, 3, 4)] = 31, [new(2026, 3, 5)] = 22, [new(2026, 3, 6)] = 13,
        });
        await SeedPopulationAsync(host);
        await SeedHealthAsync(host);
        var api = await host.TalliesAsync();
        var health = await host.OpsJsonAsync("/api/ops/health");
        var screenshot = Path.Combine(RepositoryRoot.Find(), "artifacts", "dashboard", "dashboard.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        File.Delete(screenshot);

        var shown = await BrowserSnapshot.TakeAsync("dashboard-snapshot.cjs", new Uri(host.BaseAddress, $"/api/dashboard?code={PipelineHost.OpsKey}"), screenshot, TimeSpan.FromSeconds(90));

        Assert.Empty(shown.GetProperty("problems").EnumerateArray());
        Assert.Empty(shown.GetProperty("offOrigin").EnumerateArray());

        // The key is in the first URL only: the page, its scripts, its data and the CSV go by the console cookie.
        var requests = shown.GetProperty("requests").EnumerateArray().Select(r => r.GetString()!).ToList();
        Assert.Contains(PipelineHost.OpsKey, requests[0], StringComparison.Ordinal);
        Assert.True(requests.Count > 3, string.Join(", ", requests));
        Assert.All(requests.Skip(1), url => Assert.DoesNotContain(PipelineHost.OpsKey, url, StringComparison.Ordinal));
        Assert.EndsWith("/api/console/", shown.GetProperty("finalUrl").GetString(), StringComparison.Ordinal);
        var csv = shown.GetProperty("csv");
        Assert.Equal(200, csv.GetProperty("status").GetInt32());
        Assert.StartsWith("text/csv", csv.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("day,enrolled,cumulative", csv.GetProperty("firstLine").GetString(), StringComparison.Ordinal);
        Assert.Equal("惠民保参保实时看板", shown.GetProperty("title").GetString());
        Assert.Equal("6.1.0", shown.GetProperty("echartsVersion").GetString());
        Assert.True(shown.GetProperty("canvases").GetInt32() >= 4, "every chart drew on canvas");
        Assert.True(shown.GetProperty("statusHidden").GetBoolean(), "no load error shown");

        var days = api.GetProperty("days").EnumerateArray().ToList();
        var today = days.Single(d => d.GetProperty("day").GetString() == "2026-03-06");
        var yesterday = days.Single(d => d.GetProperty("day").GetString() == "2026-03-05");
        Assert.Equal(118, api.GetProperty("cumulative").GetInt64());
        Assert.Equal(api.GetProperty("cumulative").GetInt64(), Number(shown.GetProperty("cumulative")));
        Assert.Equal(today.GetProperty("enrolled").GetInt64(), Number(shown.GetProperty("todayEnrolled")));
        Assert.Equal(yesterday.GetProperty("enrolled").GetInt64(), Number(shown.GetProperty("yesterdayEnrolled")));
        Assert.Equal("2026-03-06", shown.GetProperty("todayDay").GetString());
        Assert.Equal("数据更新于 2026-03-06 15:30:00（北京时间）", shown.GetProperty("asOf").GetString());

        var districtRows = shown.GetProperty("districts").EnumerateArray().Select(r => r.EnumerateArray().Select(c => c.GetString()!).ToList()).ToList();
        var districts = api.GetProperty("districts").EnumerateArray().ToList();
        Assert.Equal(districts.Count, districtRows.Count);
        for (var i = 0; i < districts.Count; i++)
        {
            var code = districts[i].GetProperty("code").GetString()!;
            Assert.Equal(districts[i].GetProperty("name").GetString(), districtRows[i][0]);
            Assert.Equal(districts[i].GetProperty("cumulative").GetInt64(), Number(districtRows[i][1]));
            var todayInDistrict = today.GetProperty("districts").TryGetProperty(code, out var count) ? count.GetInt64() : 0;
            Assert.Equal(todayInDistrict, Number(districtRows[i][2]));
            Assert.Equal(districts[i].TryGetProperty("rate", out var rate) ? Percent(rate.GetDouble()) : "—", districtRows[i][3]);
        }

        // 参保率 in total, as the API computes it.
        Assert.True(api.GetProperty("rate").GetDouble() > 0);
        Assert.Equal(Percent(api.GetProperty("rate").GetDouble()), shown.GetProperty("rate").GetString());
        Assert.Contains(api.GetProperty("population").GetInt64().ToString("N0", CultureInfo.InvariantCulture), shown.GetProperty("rateNote").GetString(), StringComparison.Ordinal);

        // Pipeline health: the page's reading is the API's.
        var panel = shown.GetProperty("health");
        Assert.Equal(health.GetProperty("acceptedPerMinute").GetDouble(), double.Parse(panel.GetProperty("acceptedPerMinute").GetString()!, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture));
        Assert.Equal(health.GetProperty("needsReview").GetInt32(), Number(panel.GetProperty("needsReview")));
        Assert.Equal(health.GetProperty("sendFailures").GetInt64(), Number(panel.GetProperty("sendFailures")));
        Assert.Equal($"{Seconds(health.GetProperty("lagP50Seconds").GetDouble())} / {Seconds(health.GetProperty("lagP95Seconds").GetDouble())}", panel.GetProperty("lag").GetString());
        Assert.Equal("花名册模式", panel.GetProperty("insuranceCircuit").GetString());
        Assert.Equal(health.GetProperty("queues").GetArrayLength(), panel.GetProperty("queues").GetArrayLength());
        Assert.True(panel.GetProperty("warningsHidden").GetBoolean());

        var dailyRows = shown.GetProperty("daily").EnumerateArray().Select(r => r.EnumerateArray().Select(c => c.GetString()!).ToList()).ToList();
        Assert.Equal(days.Count, dailyRows.Count);
        foreach (var (day, row) in days.AsEnumerable().Reverse().Zip(dailyRows))
        {
            Assert.Equal(day.GetProperty("day").GetString(), row[0]);
            Assert.Equal(day.GetProperty("enrolled").GetInt64(), Number(row[1]));
            Assert.Equal(day.GetProperty("cumulative").GetInt64(), Number(row[2]));
        }

        var png = await File.ReadAllBytesAsync(screenshot);
        Assert.True(png.Length > 10_000, $"screenshot at {screenshot} has content");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
    }

    [Fact]
    public async Task The_key_is_traded_once_for_a_console_cookie_that_alone_opens_the_page_scripts_and_data()
    {
        await using var host = await StartAsync();
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = host.BaseAddress };

        using var anonymous = await browser.GetAsync("/api/dashboard");
        using var noSession = await browser.GetAsync("/api/console/");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, noSession.StatusCode);
        Assert.Equal(ErrorCodes.OpsSessionRequired, (await noSession.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());

        using var entry = await browser.GetAsync($"/api/dashboard?code={PipelineHost.OpsKey}");
        Assert.Equal(HttpStatusCode.OK, entry.StatusCode);
        var setCookie = entry.Headers.GetValues("Set-Cookie").Single();
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/api/console", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(PipelineHost.OpsKey, setCookie, StringComparison.Ordinal);
        Assert.Contains("url=/api/console/", await entry.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var page = await browser.GetAsync("/api/console/");
        using var echarts = await browser.GetAsync("/api/console/echarts.min.js");
        using var data = await browser.GetAsync("/api/console/data/tallies");
        using var missing = await browser.GetAsync("/api/console/nothing.js");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("script-src 'self';", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("累计参保人数", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("//cdn", html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, data.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        var npmBuild = await File.ReadAllBytesAsync(Path.Combine(RepositoryRoot.Find(), "node_modules", "echarts", "dist", "echarts.min.js"));
        Assert.Equal(npmBuild, await echarts.Content.ReadAsByteArrayAsync());
        Assert.Equal("text/javascript", echarts.Content.Headers.ContentType?.MediaType);
        using var revalidate = new HttpRequestMessage(HttpMethod.Get, "/api/console/echarts.min.js");
        revalidate.Headers.IfNoneMatch.Add(echarts.Headers.ETag!);
        using var notModified = await browser.SendAsync(revalidate);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        // A cookie made with another key, or an altered one, opens nothing.
        var forged = new CookieContainer();
        forged.Add(host.BaseAddress, new Cookie("hmb_console", "e30.e30", "/api/console"));
        using var stranger = new HttpClient(new HttpClientHandler { CookieContainer = forged }) { BaseAddress = host.BaseAddress };
        using var refused = await stranger.GetAsync("/api/console/data/tallies");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    private Task<PipelineHost> StartAsync() =>
        PipelineHost.StartAsync(azurite, TallySeed.Settings(), s => s.AddSingleton<TimeProvider>(new FakeTimeProvider(Now)), insurance: new InMemoryInsurance());


    private static long Number(JsonElement shown) => Number(shown.GetString()!);

    private static string Percent(double rate) => (rate * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%";

    private static string Seconds(double seconds) => seconds >= 60 ? (seconds / 60).ToString("0.0", CultureInfo.InvariantCulture) + " 分钟" : Math.Round(seconds).ToString(CultureInfo.InvariantCulture) + " 秒";

    /// <summary>A roster import's record as an import leaves it: the population it counted.</summary>
    private static async Task SeedPopulationAsync(PipelineHost host)
    {
        var population = new Dictionary<string, long>
        {
            ["410502|resident"] = 900, ["410502|employee"] = 300, ["410503|resident"] = 800, ["410505|resident"] = 700,
            ["410581|resident"] = 650, ["410522|resident"] = 500, ["410523|resident"] = 400, ["410527|resident"] = 450,
            ["410571|employee"] = 120, ["410506|resident"] = 380,
        };
        await host.Services.GetRequiredService<HuiminBao.Roster.RosterImportRecords>().TryCreateAsync(new HuiminBao.Roster.RosterImportRecord
        {
            RowKey = "0123456789abcdef0123456789abcdef",
            State = HuiminBao.Roster.RosterImportStates.Completed,
            PlanYear = PipelineHost.PlanYear,
            AsOf = "2026-02-28",
            Population = JsonSerializer.Serialize(population),
        }, default);
    }

    /// <summary>What intake, validation and notification count as they work, written as the flusher writes it.</summary>
    private static async Task SeedHealthAsync(PipelineHost host)
    {
        var metrics = host.Services.GetRequiredService<HuiminBao.Diagnostics.PipelineMetrics>();
        for (var i = 0; i < 40; i++)
            metrics.SignUpAccepted();
        for (var i = 0; i < 36; i++)
            metrics.SignUpDecided(TimeSpan.FromSeconds(i % 9 == 0 ? 45 : 3));
        metrics.NotificationFailed();
        await host.Services.GetRequiredService<HuiminBao.Health.HealthMetricsFlusher>().FlushAsync(default);
    }

    /// <summary>The page shows counts with zh-CN grouping ("1,234").</summary>
    private static long Number(string shown) => long.Parse(shown, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
}
