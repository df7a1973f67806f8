using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using HuiminBao.Domain;
using HuiminBao.Roster;
using HuiminBao.SignUps;
using HuiminBao.StandIns;
using HuiminBao.Tests.Infrastructure;
using HuiminBao.Tests.Roster;

namespace HuiminBao.Tests.Enrollment;

/// <summary>The whole path with the real lookups: a roster uploaded by ops, or the city's 医保 service.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class EndToEndEligibilityTests(AzuriteFixture azurite)
{
    private const int PlanYear = PipelineHost.PlanYear;

    [Fact]
    public async Task With_an_uploaded_roster_a_rostered_a_suspended_an_unknown_and_a_misnamed_person_end_partially_enrolled()
    {
        await using var host = await PipelineHost.StartAsync(azurite);
        var roster = new SyntheticRoster(77).People(200).ToList();
        var active = roster.First(p => p.IsActive);
        var suspended = roster.First(p => p.Status == "暂停");
        var unknown = SyntheticRoster.Outsider(3);
        var misnamed = roster.Where(p => p.IsActive).Skip(1).First();

        using var upload = new HttpRequestMessage(HttpMethod.Post, "/api/ops/roster-imports") { Content = new ByteArrayContent(RosterFiles.Of(roster, new RosterCsvFormat { Gbk = true })) };
        upload.Content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        upload.Headers.Add("x-functions-key", PipelineHost.OpsKey);
        using var accepted = await host.Client.SendAsync(upload);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        await Eventually.TrueAsync(async () =>
        {
            using var status = new HttpRequestMessage(HttpMethod.Get, accepted.Headers.Location);
            status.Headers.Add("x-functions-key", PipelineHost.OpsKey);
            using var response = await host.Client.SendAsync(status);
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString() == "completed";
        }, because: "roster import completed");

        var token = await host.LoginAsync("o-e2e-roster");
        var applicant = new Person(active.Name, active.IdNumber, "13912345678");
        var body = People.SignUpJson(PlanYear, applicant, (applicant, "self"), (new Person(suspended.Name, suspended.IdNumber, ""), "parent"),
            (new Person(unknown.Name, unknown.IdNumber, ""), "child"), (new Person(misnamed.Name[..1] + "某某", misnamed.IdNumber, ""), "spouse"));
        var signUpId = await host.SubmitAcceptedAsync(token, body);
        var view = await host.DecidedAsync(token, signUpId);

        Assert.Equal("partially-enrolled", view.GetProperty("status").GetString());
        Assert.Equal(["enrolled", "identity-mismatch", "identity-mismatch", "identity-mismatch"], view.GetProperty("insured").EnumerateArray().Select(p => p.GetProperty("outcome").GetString()));
        var stored = await RealNameCheckTests.PersonsAsync(host, signUpId);
        Assert.Equal([PersonOutcome.Enrolled, PersonOutcome.NotInsured, PersonOutcome.NotInsured, PersonOutcome.IdentityMismatch], stored.Select(p => p.Outcome));
        Assert.Equal(OutcomeReasons.Suspended, stored[1].Reason);
        var counters = await ValidationPipelineTests.CountersAsync(host.Storage);
        Assert.Equal(1, counters.Sum(c => c.GetInt64("D" + active.District) ?? 0));
        Assert.Equal(1, counters.Sum(c => c.GetInt64("Enrolled") ?? 0));
    }

    [Fact]
    public async Task With_the_yibao_service_the_name_is_checked_by_the_service_and_a_wrong_one_takes_nothing()
    {
        var yibao = new YibaoStandIn();
        await using var server = await LoopbackServer.StartAsync(yibao.Map);
        await using var host = await PipelineHost.StartAsync(azurite, new Dictionary<string, string?> { ["Insurance:Mode"] = "http", ["Insurance:BaseUrl"] = server.BaseAddress.ToString(), ["Insurance:ApiKey"] = yibao.ApiKey });
        var (applicant, spouse) = (People.Next(), People.Next("410503"));
        yibao.Insure(applicant.IdNumber, applicant.Name);
        yibao.Insure(spouse.IdNumber, spouse.Name, status: "暂停");
        var token = await host.LoginAsync("o-e2e-yibao-names");

        var signUpId = await host.SubmitAcceptedAsync(token, People.SignUpJson(PlanYear, applicant, (applicant, "self"), (spouse with { Name = "冒名" }, "spouse")));
        var view = await host.DecidedAsync(token, signUpId);

        Assert.Equal("partially-enrolled", view.GetProperty("status").GetString());
        Assert.Equal(["enrolled", "identity-mismatch"], view.GetProperty("insured").EnumerateArray().Select(p => p.GetProperty("outcome").GetString()));
        Assert.Equal(OutcomeReasons.NameMismatch, (await RealNameCheckTests.PersonsAsync(host, signUpId))[1].Reason);
        Assert.Equal(2, yibao.Queries);
        Assert.Equal([host.PersonKey(applicant)], await RealNameCheckTests.EnrolledPersonKeysAsync(host));
    }

    [Fact]
    public async Task With_the_yibao_service_an_outage_leaves_the_signup_waiting_and_it_completes_when_the_service_returns()
    {
        var yibao = new YibaoStandIn();
        await using var server = await LoopbackServer.StartAsync(yibao.Map);
        var settings = new Dictionary<string, string?>
        {
            ["Insurance:Mode"] = "http",
            ["Insurance:BaseUrl"] = server.BaseAddress.ToString(),
            ["Insurance:ApiKey"] = yibao.ApiKey,
            ["Insurance:Timeout"] = "00:00:01",
            ["Insurance:MaxRetries"] = "1",
            // Space the redeliveries so the outage can't use up maxDequeueCount before the service returns.
            ["AzureFunctionsJobHost:extensions:queues:visibilityTimeout"] = "00:00:02",
        };
        await using var host = await PipelineHost.StartAsync(azurite, settings);
        var person = People.Next("410581");
        yibao.Insure(person.IdNumber, person.Name, scheme: "居民", district: "410581");
        yibao.FailAlways(YibaoFault.Unavailable);
        var token = await host.LoginAsync("o-e2e-yibao");

        var signUpId = await host.SubmitAcceptedAsync(token, People.SelfSignUp(PlanYear, person));
        await Eventually.TrueAsync(() => Task.FromResult(yibao.Queries >= 2), because: "validation tried the service");
        Assert.Equal("pending", (await host.SignUpStatusAsync(token, signUpId)).GetProperty("status").GetString());

        yibao.Recover();
        var view = await host.DecidedAsync(token, signUpId, TimeSpan.FromSeconds(60));

        Assert.Equal("enrolled", view.GetProperty("status").GetString());
        Assert.DoesNotContain(yibao.Paths, p => p.Contains(person.IdNumber, StringComparison.Ordinal));
    }
}
