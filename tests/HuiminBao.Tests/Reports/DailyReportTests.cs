using HuiminBao.Domain;
using HuiminBao.Reports;
using HuiminBao.StandIns;
using HuiminBao.Storage;
using HuiminBao.Tests.Infrastructure;
using HuiminBao.Tests.Tallies;
using HuiminBao.Timers;
using HuiminBao.WeCom;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace HuiminBao.Tests.Reports;

/// <summary>
/// The daily report, fired by the local host's timer on a fake clock, sent to a loopback WeCom robot.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class DailyReportTests(AzuriteFixture azurite)
{
    private static readonly Dictionary<DateOnly, int> PerDay = new()
    {
        [new(2026, 3, 1)] = 11, [new(2026, 3, 2)] = 17, [new(2026, 3, 3)] = 8,
        [new(2026, 3, 4)] = 23, [new(2026, 3, 5)] = 15, [new(2026, 3, 6)] = 19, [new(2026, 3, 7)] = 6,
    };

    [Fact]
    public async Task Two_instances_firing_at_once_send_one_report_a_day_with_the_right_figures()
    {
        var clock = new FakeTimeProvider(At(2026, 3, 6, 23, 0));
        var robot = new WeComStandIn("daily-report", clock);
        await using var server = await LoopbackServer.StartAsync(robot.Map);
        var connection = azurite.NewAccount();
        var settings = Settings(robot, server);
        await using var first = await StartAsync(settings, clock, connection);
        await using var second = await StartAsync(settings, clock, connection);
        var seeded = await TallySeed.EnrollAsync(first, PerDay);

        clock.Advance(TimeSpan.FromMinutes(65));
        await BothRanAsync(first, second, "2026-03-06");

        var report = Assert.Single(robot.Messages);
        var upToMarch6 = seeded.Where(e => e.Day <= new DateOnly(2026, 3, 6)).ToList();
        var onMarch6 = seeded.Where(e => e.Day == new DateOnly(2026, 3, 6)).ToList();
        Assert.Contains("## 惠民保参保日报 · 2026年3月6日", report.Content, StringComparison.Ordinal);
        Assert.Contains($"> 当日新增参保：<font color=\"info\">**{onMarch6.Count}**</font> 人", report.Content, StringComparison.Ordinal);
        Assert.Contains($"> 累计参保：<font color=\"info\">**{upToMarch6.Count}**</font> 人", report.Content, StringComparison.Ordinal);
        Assert.Equal(93, upToMarch6.Count);
        var top = upToMarch6.GroupBy(TallySeed.DistrictCode)
            .Select(g => (Code: g.Key, Cumulative: g.Count(), OnDay: g.Count(e => e.Day == new DateOnly(2026, 3, 6))))
            .OrderByDescending(d => d.Cumulative).ThenBy(d => d.Code, StringComparer.Ordinal).Take(5).ToList();
        var lines = report.Content.Split('\n');
        for (var i = 0; i < top.Count; i++)
            Assert.Contains($"> {i + 1}. {Districts.NameOf(top[i].Code)}：{top[i].Cumulative} 人（当日 +{top[i].OnDay}）", lines);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(report.Content) <= WeComMarkdown.MaxBytes);

        // More firings for the same occurrence, on both instances at once: still one report.
        var firing = TimerFiring.At(At(2026, 3, 7, 0, 5), clock.GetUtcNow());
        await Task.WhenAll(new[] { first, second, first, second }.Select(h => RunAsync(h, firing)));
        Assert.Single(robot.Messages);
        var marker = await MarkerAsync(first, "20260306");
        Assert.Equal(DailyReportMarker.Sent, marker.State);
        Assert.Equal(onMarch6.Count, marker.Enrolled);
        Assert.Equal(upToMarch6.Count, marker.Cumulative);
        Assert.Equal(1, marker.Attempts);

        clock.Advance(TimeSpan.FromDays(1));
        await BothRanAsync(first, second, "2026-03-07");
        Assert.Equal(2, robot.Messages.Count);
        Assert.Contains("2026年3月7日", robot.Messages[1].Content, StringComparison.Ordinal);
        Assert.Contains($"> 累计参保：<font color=\"info\">**{seeded.Count}**</font> 人", robot.Messages[1].Content, StringComparison.Ordinal);
        Assert.Empty(robot.Errors);
    }

    [Fact]
    public async Task A_report_the_robot_answers_send_too_fast_is_sent_once_after_waiting()
    {
        var clock = new FakeTimeProvider(At(2026, 3, 6, 23, 0));
        var robot = new WeComStandIn("too-fast", clock);
        await using var server = await LoopbackServer.StartAsync(robot.Map);
        await using var host = await StartAsync(Settings(robot, server), clock);
        await TallySeed.EnrollAsync(host, PerDay);
        robot.FailNext(WeComErrors.SendTooFast, WeComErrors.FrequencyLimit);

        clock.Advance(TimeSpan.FromMinutes(65));
        // Each poll moves the clock on, so the report's retry waits pass without real waiting.
        await Eventually.TrueAsync(() =>
        {
            clock.Advance(TimeSpan.FromSeconds(5));
            return Task.FromResult(robot.Messages.Count > 0);
        }, because: "the deferred report was sent");
        await Eventually.TrueAsync(async () => (await MarkerAsync(host, "20260306")).State == DailyReportMarker.Sent);

        Assert.Equal([WeComErrors.SendTooFast, WeComErrors.FrequencyLimit], robot.Errors);
        var report = Assert.Single(robot.Messages);
        Assert.True(report.At >= At(2026, 3, 7, 0, 7), "sent after two one-minute waits");
        Assert.Equal(3, (await MarkerAsync(host, "20260306")).Attempts);
        await RunAsync(host, TimerFiring.At(At(2026, 3, 7, 0, 5), clock.GetUtcNow()));
        Assert.Single(robot.Messages);
    }

    [Fact]
    public async Task A_failed_report_is_sent_by_the_next_run_and_days_before_the_window_get_none()
    {
        var clock = new FakeTimeProvider(At(2026, 2, 28, 23, 0));
        var robot = new WeComStandIn("catch-up", clock);
        await using var server = await LoopbackServer.StartAsync(robot.Map);
        var settings = Settings(robot, server);
        settings["DailyReport:RetryFor"] = "00:00:00";
        await using var host = await StartAsync(settings, clock);
        await TallySeed.EnrollAsync(host, new Dictionary<DateOnly, int> { [new(2026, 3, 1)] = 3, [new(2026, 3, 2)] = 4 });

        clock.Advance(TimeSpan.FromMinutes(65));
        await Eventually.TrueAsync(() => Task.FromResult(host.Logs.Lines.Any(l => l.Contains("No daily report for 2026-02-28: outside the enrollment window", StringComparison.Ordinal))));
        Assert.Null(await FindMarkerAsync(host, "20260228"));

        robot.FailNext(WeComErrors.SendTooFast);
        clock.Advance(TimeSpan.FromDays(1));
        await Eventually.TrueAsync(async () => (await FindMarkerAsync(host, "20260301"))?.State == DailyReportMarker.Failed);
        Assert.Empty(robot.Messages);

        clock.Advance(TimeSpan.FromDays(1));
        await Eventually.TrueAsync(() => Task.FromResult(robot.Messages.Count == 2), because: "the failed day and the new day were both sent");
        Assert.Contains("2026年3月1日", robot.Messages[0].Content, StringComparison.Ordinal);
        Assert.Contains("> 当日新增参保：<font color=\"info\">**3**</font> 人", robot.Messages[0].Content, StringComparison.Ordinal);
        Assert.Contains("2026年3月2日", robot.Messages[1].Content, StringComparison.Ordinal);
        Assert.Contains("> 累计参保：<font color=\"info\">**7**</font> 人", robot.Messages[1].Content, StringComparison.Ordinal);
        await Eventually.TrueAsync(async () => (await FindMarkerAsync(host, "20260302"))?.State == DailyReportMarker.Sent);
        Assert.Equal(DailyReportMarker.Sent, (await MarkerAsync(host, "20260301")).State);
    }

    [Fact]
    public async Task Without_a_webhook_the_report_is_logged_once()
    {
        var clock = new FakeTimeProvider(At(2026, 3, 6, 23, 0));
        var settings = TallySeed.Settings(timers: true);
        await using var host = await StartAsync(settings, clock);
        await TallySeed.EnrollAsync(host, PerDay);

        clock.Advance(TimeSpan.FromMinutes(65));
        await Eventually.TrueAsync(() => Task.FromResult(host.Logs.Lines.Any(l => l.Contains("Daily report for 2026-03-06 sent", StringComparison.Ordinal))));
        await RunAsync(host, TimerFiring.At(At(2026, 3, 7, 0, 5), clock.GetUtcNow()));

        var logged = Assert.Single(host.Logs.Lines, l => l.Contains("WeCom:WebhookUrl not set, logged only", StringComparison.Ordinal));
        Assert.Contains("> 当日新增参保：<font color=\"info\">**19**</font> 人", logged, StringComparison.Ordinal);
        Assert.Contains("> 累计参保：<font color=\"info\">**93**</font> 人", logged, StringComparison.Ordinal);
    }

    private static DateTimeOffset At(int year, int month, int day, int hour, int minute) => new(year, month, day, hour, minute, 0, BeijingTime.Offset);

    private static Dictionary<string, string?> Settings(WeComStandIn robot, LoopbackServer server)
    {
        var settings = TallySeed.Settings(timers: true);
        settings["WeCom:WebhookUrl"] = robot.WebhookUrl(server.BaseAddress);
        return settings;
    }

    /// <summary>
    /// Starts a host and waits until its timer is armed on the fake clock: BackgroundService runs
    /// ExecuteAsync off the start path, so a clock moved before that would be read as the start time.
    /// </summary>
    private async Task<PipelineHost> StartAsync(Dictionary<string, string?> settings, FakeTimeProvider clock, string? connection = null)
    {
        var host = await PipelineHost.StartAsync(azurite, settings, s => s.AddSingleton<TimeProvider>(clock), connection, new InMemoryInsurance());
        await Eventually.TrueAsync(() => Task.FromResult(host.Logs.Lines.Any(l => l.Contains("Timer DailyReport on '0 5 16 * * *'", StringComparison.Ordinal))),
            because: "the daily report timer is armed");
        return host;
    }

    /// <summary>Each host's timer logs one outcome per firing: sent, or not sent because another run had it.</summary>
    private static Task BothRanAsync(PipelineHost first, PipelineHost second, string day) =>
        Eventually.TrueAsync(() => Task.FromResult(new[] { first, second }.Sum(h => h.Logs.Lines.Count(l =>
            l.Contains($"Daily report for {day} sent", StringComparison.Ordinal) || l.Contains($"Daily report for {day} not sent by this run", StringComparison.Ordinal))) == 2),
            because: $"both instances' timers ran the report for {day}");

    private static async Task RunAsync(PipelineHost host, TimerFiring firing)
    {
        await using var scope = host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DailyReport>().RunAsync(firing, CancellationToken.None);
    }

    private static async Task<DailyReportMarker> MarkerAsync(PipelineHost host, string day) =>
        await FindMarkerAsync(host, day) ?? throw new InvalidOperationException($"No report marker for {day}");

    private static async Task<DailyReportMarker?> FindMarkerAsync(PipelineHost host, string day)
    {
        var found = await host.Storage.Table(TableNames.OpsState).GetEntityIfExistsAsync<DailyReportMarker>(DailyReportMarker.ReportsPartition, day);
        return found.HasValue ? found.Value : null;
    }
}
