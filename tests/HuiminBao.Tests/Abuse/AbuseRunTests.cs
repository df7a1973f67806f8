using HuiminBao.LaunchDay.Abuse;
using HuiminBao.Tests.LaunchDay;
using Xunit.Abstractions;

namespace HuiminBao.Tests.Abuse;

/// <summary>
/// The CI-sized abuse run: the same generator and checks as <c>HuiminBao.LaunchDay abuse</c> (20,000
/// requests, see docs/BENCHMARKS.md), against the local host out of process, with 2,000 requests.
/// </summary>
[Collection(LaunchDayCollection.Name)]
public sealed class AbuseRunTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Two_thousand_hostile_requests_get_no_5xx_store_nothing_read_nobody_elses_leak_nothing_and_strangers_ids_enroll_nobody()
    {
        using var log = new TestOutputWriter(output);

        var result = await AbuseRun.RunAsync(new AbuseRunOptions { Requests = 2_000, Victims = 5, Seed = 2026 }, log);

        output.WriteLine(result.ToString());
        Assert.Empty(result.ServerErrors);
        Assert.Empty(result.Accepted);
        Assert.Empty(result.Unexpected);
        Assert.Empty(result.StorageChanges);
        Assert.Empty(result.ResponseLeaks);
        Assert.Empty(result.PlaintextHits);
        Assert.True(result.ControlHits > 0, "The scan found not even the sign-up ids the host logs: it saw no log.");
        var strangers = result.Strangers!;
        Assert.True(strangers.Accepted >= 20, strangers.Summary());
        Assert.Equal(0, strangers.EnrolledByStrangers);
        Assert.Equal("identity-mismatch", Assert.Single(strangers.Answers).Key.Split(':')[0]);
        Assert.Equal(strangers.RealPeople, strangers.RealPeopleEnrolled);
        Assert.True(strangers.RealPeople > 0, strangers.Summary());
        Assert.True(result.Passed, result.ToString());
        Assert.All(Enum.GetValues<HostileKind>(), kind => Assert.Contains(result.Answers, a => a.Kind == kind));
    }
}
