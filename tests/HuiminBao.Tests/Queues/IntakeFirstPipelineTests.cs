using HuiminBao.Queues;
using HuiminBao.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace HuiminBao.Tests.Queues;

/// <summary>The gate in the running pipeline: intake reports to it, and processing held to one item per stage still decides and notifies everyone.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class IntakeFirstPipelineTests(AzuriteFixture azurite)
{
    private const int PlanYear = PipelineHost.PlanYear;

    [Fact]
    public async Task Intake_reports_how_long_each_sign_up_took_and_nothing_for_a_replay()
    {
        var insurance = new InMemoryInsurance();
        // The gate's own interval would take the window first; a long one leaves it to the test.
        await using var host = await PipelineHost.StartAsync(azurite, new Dictionary<string, string?>(PipelineHost.WithoutListeners) { ["ProcessingGate:Interval"] = "00:01:00" }, insurance: insurance);
        var pressure = host.Services.GetRequiredService<IntakePressure>();
        pressure.TakeWindow();
        var token = await host.LoginAsync("o-pressure");
        var body = People.SelfSignUp(PlanYear, People.Next());

        var started = System.Diagnostics.Stopwatch.StartNew();
        await host.SubmitAcceptedAsync(token, body, idempotencyKey: "pressure-1");
        var elapsed = started.Elapsed;
        await host.SubmitAcceptedAsync(token, body, idempotencyKey: "pressure-1");

        var window = pressure.TakeWindow();
        Assert.Equal(1, window.IntakeCount);
        Assert.InRange(window.IntakeP90Milliseconds, 0.01, elapsed.TotalMilliseconds);
        Assert.Equal((0, 0), (window.Refused, window.Throttled));
    }

    [Fact]
    public async Task With_one_item_at_a_time_per_stage_every_sign_up_sharing_a_message_is_still_decided_and_notified()
    {
        var insurance = new InMemoryInsurance();
        await using var host = await PipelineHost.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["ProcessingGate:MinConcurrency"] = "1",
            ["ProcessingGate:MaxConcurrency"] = "1",
        }, insurance: insurance);
        Assert.Equal(1, host.Services.GetRequiredService<ProcessingGate>().Limit);

        var submitted = await Task.WhenAll(Enumerable.Range(0, 12).Select(async i =>
        {
            var person = People.Next();
            insurance.Add(host.Identity(person));
            var token = await host.LoginAsync($"o-one-at-a-time-{i}");
            return (token, id: await host.SubmitAcceptedAsync(token, People.SelfSignUp(PlanYear, person)));
        }));

        foreach (var (token, id) in submitted)
            Assert.Equal("enrolled", (await host.DecidedAsync(token, id, TimeSpan.FromSeconds(30))).GetProperty("status").GetString());
        await Eventually.TrueAsync(() => Task.FromResult(host.WeChat.Accepted.Count == submitted.Length), within: TimeSpan.FromSeconds(30), because: "every applicant notified");
        var gauge = host.Services.GetRequiredService<ProcessingGate>().Gauge();
        Assert.Equal((0, 0), (gauge.Running, gauge.Waiting));
    }
}
