using HuiminBao.LaunchDay.Fault;
using Xunit.Abstractions;

namespace HuiminBao.Tests.LaunchDay;

/// <summary>
/// The CI-sized fault run (the full run is <c>HuiminBao.LaunchDay fault</c>, see docs/BENCHMARKS.md):
/// 2,000 sign-ups through the local host while it is SIGKILLed twice, the 医保 service is down,
/// WeChat answers -1 and Azurite restarts, with production's retry timings scaled down like the faults.
/// </summary>
[Collection(LaunchDayCollection.Name)]
public sealed class FaultRunTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Two_thousand_sign_ups_through_kills_and_outages_all_end_decided_once_counted_and_notified_once()
    {
        var options = new FaultRunOptions
        {
            SignUps = 2_000,
            ArrivalsPerSecond = 40,
            Kills = 2,
            MinKillDowntime = TimeSpan.FromSeconds(0.5),
            MaxKillDowntime = TimeSpan.FromSeconds(2),
            YibaoOutage = TimeSpan.FromSeconds(8),
            WeChatBusy = TimeSpan.FromSeconds(8),
            AzuriteDown = TimeSpan.FromSeconds(3),
            QueueLease = TimeSpan.FromSeconds(5),
            FaultGap = TimeSpan.FromSeconds(7),
            DrainWithin = TimeSpan.FromMinutes(2),
            GiveUpAfter = TimeSpan.FromMinutes(1),
            Seed = 7,
            // Production's timings scaled down with the faults: a failed message is retried 10 s later
            // (30 s in host.json) and an open 医保 breaker probes after 5 s (30 s), so an outage stretched by
            // the breaker (8 + 5 s) still fits in the four retries (40 s) with the same margin as the full run's
            // (30 + 30 s in 120 s).
            Settings = new Dictionary<string, string>
            {
                ["AzureFunctionsJobHost:extensions:queues:visibilityTimeout"] = "00:00:10",
                ["Insurance:CircuitBreakDuration"] = "00:00:05",
            },
        };
        using var log = new TestOutputWriter(output);

        var result = await FaultRun.RunAsync(options, log);

        output.WriteLine(result.ToString());
        Assert.True(result.Passed, result.ToString());
        Assert.Equal(options.SignUps, result.Audit.Decided);
    }
}
