using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using HuiminBao.Roster;
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
    public async Task With_an_uploaded_roster_a_rostered_a_suspended_and_an_unknown_person_end_partially_enrolled()
    {
        await using var host = await PipelineHost.StartAsync(azurite);
        var roster = new SyntheticRoster(77).People(200).ToList();
        var active = roster.First(p => p.IsActive);
        var suspended = roster.First(p => p.Status == "暂停");
        var unknown = SyntheticRoster.Outsider(3);

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
        var body = People.SignUpJson(PlanYear, applicant, (applicant, "self"), (new Person(suspended.Name, suspended.IdNumber, ""), "parent"), (new Person(unknown.Name, unknown.IdNumber, ""), "child"));
        var signUpId = await host.SubmitAcceptedAsync(token, body);
        var view = await host.DecidedAsync(token, signUpId);

        Assert.Equal("partially-enrolled", view.GetProperty("status").GetString());
        Assert.Equal(["enrolled", "not-insured", "not-insured"], view.GetProperty("insured").EnumerateArray().Select(p => p.GetProperty("outcome").GetString()));
        Assert.Equal("基本医疗保险处于暂停状态", view.GetProperty("insured")[1].GetProperty("reason").GetString());
        var counters = await ValidationPipelineTests.CountersAsync(host.Storage);
        Assert.Equal(1, counters.Sum(c => c.GetInt64("D" + active.District) ?? 0));
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
        yibao.Insure(person.IdNumber, scheme: "居民", district: "410581");
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
