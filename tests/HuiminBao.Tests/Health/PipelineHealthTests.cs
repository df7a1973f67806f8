using System.Text.Json;
using Azure.Storage.Queues;
using HuiminBao.Alerts;
using HuiminBao.Diagnostics;
using HuiminBao.Health;
using HuiminBao.Queues;
using HuiminBao.Storage;
using HuiminBao.Tests.Infrastructure;
using HuiminBao.Tests.Notifications;
using HuiminBao.Tests.Tallies;
using HuiminBao.Timers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace HuiminBao.Tests.Health;

/// <summary>Launch-day health: what intake, processing and notification did, and whether they keep up.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class PipelineHealthTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Sign_ups_flowing_through_the_pipeline_show_as_accepted_decided_and_lag_in_the_health_reading()
    {
        await using var host = await PipelineHost.StartAsync(azurite, new Dictionary<string, string?> { ["Health:CacheFor"] = "00:00:00" }, insurance: new InMemoryInsurance());
        var token = await host.LoginAsync("o-health");
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
            ids.Add(await host.SubmitAcceptedAsync(token, People.SelfSignUp(PipelineHost.PlanYear, People.Next())));
        foreach (var id in ids)
            await host.DecidedAsync(token, id);
        // A status reads as decided a moment before the stage counts it, so the reading is polled (uncached here).
        var health = await Eventually.ReturnsAsync(async () =>
        {
            await host.Services.GetRequiredService<HealthMetricsFlusher>().FlushAsync(default);
            return await host.OpsJsonAsync("/api/ops/health");
        }, h => h.GetProperty("minutes").EnumerateArray().Sum(m => m.GetProperty("decided").GetInt64()) >= 5, because: "all five decided in the reading");

        Assert.Equal(5, health.GetProperty("minutes").EnumerateArray().Sum(m => m.GetProperty("accepted").GetInt64()));
        Assert.Equal(5, health.GetProperty("minutes").EnumerateArray().Sum(m => m.GetProperty("decided").GetInt64()));
        Assert.InRange(health.GetProperty("lagP95Seconds").GetDouble(), 1, 60);
        Assert.Equal(
            [QueueNames.SignUps, QueueNames.Notifications, QueueNames.RosterImports, QueueNames.SignUpsPoison, QueueNames.NotificationsPoison],
            health.GetProperty("queues").EnumerateArray().Select(q => q.GetProperty("queue").GetString()));
        Assert.Equal(0, health.GetProperty("needsReview").GetInt32());
        Assert.Equal("n/a", health.GetProperty("insuranceCircuit").GetString());
        Assert.Empty(health.GetProperty("warnings").EnumerateArray());
        // Aggregates only: no sign-up id, openid or anything personal.
        var text = health.GetRawText();
        Assert.All(ids, id => Assert.DoesNotContain(id, text, StringComparison.Ordinal));
        Assert.DoesNotContain("o-health", text, StringComparison.Ordinal);
    }

    /// <summary>An exception escaping a background service stops the host, and one escaping StopAsync fails the shutdown.</summary>
    [Fact]
    public async Task A_health_flush_that_fails_in_any_way_neither_stops_the_host_nor_fails_its_shutdown()
    {
        var crashes = CrashAfterWrites.Randomly(1.0, seed: 1);
        var host = await PipelineHost.StartAsync(azurite, new Dictionary<string, string?>(PipelineHost.WithoutListeners) { ["Health:FlushInterval"] = "00:00:01" },
            services: s => s.AddSingleton(new StoragePipelinePolicy(crashes)), insurance: new InMemoryInsurance());
        crashes.Arm();
        host.Services.GetRequiredService<PipelineMetrics>().SignUpAccepted();

        await Eventually.TrueAsync(() => Task.FromResult(crashes.Crashes >= 3), because: "the flusher kept trying after its writes failed");
        using var stillServing = await host.Client.GetAsync("/api/openapi.json");
        Assert.Equal(System.Net.HttpStatusCode.OK, stillServing.StatusCode);
        await host.DisposeAsync();
    }

    [Fact]
    public async Task A_reading_costs_a_bounded_number_of_storage_calls_and_is_reused_briefly()
    {
        await using var host = await PipelineHost.StartAsync(azurite, PipelineHost.WithoutListeners, insurance: new InMemoryInsurance());
        var metrics = host.Services.GetRequiredService<PipelineMetrics>();
        for (var i = 0; i < 1_000; i++)
            metrics.SignUpAccepted();
        await host.Services.GetRequiredService<HealthMetricsFlusher>().FlushAsync(default);
        var calls = host.Services.GetRequiredService<StorageCallCounter>();

        // The audit record is completed after the answer is sent, so each count waits for the writes to stop.
        var before = calls.Total;
        await host.OpsJsonAsync("/api/ops/health");
        var first = await SettledAsync(calls) - before;
        before = calls.Total;
        await host.OpsJsonAsync("/api/ops/health");
        var second = await SettledAsync(calls) - before;

        // Two audit writes per ops call, plus the reading: rows, five queues (two peeks), one review page.
        Assert.InRange(first - 2, 1, 12);
        Assert.Equal(2, second);
    }

    [Fact]
    public async Task Ops_are_alerted_when_sign_ups_wait_too_long_on_the_queue_or_for_a_decision()
    {
        var alerts = new RecordedOpsAlerts();
        // Starts at the real time: queue messages carry Azurite's own insertion times.
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var host = await PipelineHost.StartAsync(azurite, TallySeed.Settings(), s =>
        {
            s.AddSingleton<TimeProvider>(time);
            s.AddSingleton<IOpsAlerts>(alerts);
        }, insurance: new InMemoryInsurance());
        var watch = host.Services.GetRequiredService<IServiceScopeFactory>().CreateScope().ServiceProvider.GetRequiredService<HealthWatch>();

        await watch.RunAsync(TimerFiring.At(time.GetUtcNow(), time.GetUtcNow()), default);
        Assert.Empty(alerts.Raised);

        // A message has waited 20 minutes; sign-ups took 20 minutes from intake to decision.
        await host.Storage.Queue(QueueNames.SignUps).SendMessageAsync("{}");
        var metrics = host.Services.GetRequiredService<PipelineMetrics>();
        time.Advance(TimeSpan.FromMinutes(20));
        for (var i = 0; i < 10; i++)
            metrics.SignUpDecided(TimeSpan.FromMinutes(20));
        await host.Services.GetRequiredService<HealthMetricsFlusher>().FlushAsync(default);

        await watch.RunAsync(TimerFiring.At(time.GetUtcNow(), time.GetUtcNow()), default);

        Assert.Contains(alerts.Raised, a => a.Kind == OpsAlertKinds.PipelineBacklog && a.Text.Contains("1 条消息", StringComparison.Ordinal));
        Assert.Contains(alerts.Raised, a => a.Kind == OpsAlertKinds.PipelineLag && a.Text.Contains("20 分钟", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_console_reads_the_same_health_with_its_cookie()
    {
        await using var host = await PipelineHost.StartAsync(azurite, PipelineHost.WithoutListeners, insurance: new InMemoryInsurance());
        var cookies = new System.Net.CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = host.BaseAddress };
        using var entry = await browser.GetAsync($"/api/dashboard?code={PipelineHost.OpsKey}");

        using var console = await browser.GetAsync("/api/console/data/health");

        Assert.Equal(System.Net.HttpStatusCode.OK, console.StatusCode);
        Assert.Equal("no-store", console.Headers.CacheControl?.ToString());
        using var document = JsonDocument.Parse(await console.Content.ReadAsStringAsync());
        Assert.True(document.RootElement.TryGetProperty("queues", out _));
    }

    /// <summary>The call count once it has stood still for a quarter of a second (at most 10 s).</summary>
    private static async Task<long> SettledAsync(StorageCallCounter calls)
    {
        var clock = TimeProvider.System;
        var started = clock.GetTimestamp();
        var last = calls.Total;
        var stillSince = started;
        while (clock.GetElapsedTime(started) < TimeSpan.FromSeconds(10) && clock.GetElapsedTime(stillSince) < TimeSpan.FromMilliseconds(250))
        {
            await Task.Delay(25);
            if (calls.Total != last)
                (last, stillSince) = (calls.Total, clock.GetTimestamp());
        }
        return last;
    }
}
