using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using HuiminBao.Domain;
using HuiminBao.Enrollment;
using HuiminBao.SignUps;
using HuiminBao.Storage;
using HuiminBao.Tests.Infrastructure;

namespace HuiminBao.Tests.Enrollment;

[Collection(AzuriteCollection.Name)]
public sealed class ValidationPipelineTests(AzuriteFixture azurite)
{
    private const int PlanYear = PipelineHost.PlanYear;

    [Fact]
    public async Task Rostered_suspended_and_unknown_persons_end_partially_enrolled_and_the_others_are_told_only_what_to_check()
    {
        var insurance = new InMemoryInsurance();
        await using var host = await PipelineHost.StartAsync(azurite, insurance: insurance);
        var (applicant, suspended, unknown) = (People.Next(), People.Next("410505"), People.Next("410581"));
        insurance.Add(host.Identity(applicant), district: "410502", scheme: InsuranceSchemes.Employee);
        insurance.Add(host.Identity(suspended), status: InsuranceStates.Suspended);
        var token = await host.LoginAsync("o-family");

        var signUpId = await host.SubmitAcceptedAsync(token, People.SignUpJson(PlanYear, applicant, (applicant, "self"), (suspended, "spouse"), (unknown, "child")));
        var view = await host.DecidedAsync(token, signUpId);

        Assert.Equal("partially-enrolled", view.GetProperty("status").GetString());
        var insured = view.GetProperty("insured").EnumerateArray().ToList();
        Assert.Equal(["enrolled", "identity-mismatch", "identity-mismatch"], insured.Select(p => p.GetProperty("outcome").GetString()));
        Assert.Equal(insured[1].GetProperty("reason").GetString(), insured[2].GetProperty("reason").GetString());
        Assert.StartsWith("未查询到与所填姓名、身份证号相符", insured[1].GetProperty("reason").GetString(), StringComparison.Ordinal);
        var stored = await RealNameCheckTests.PersonsAsync(host, signUpId);
        Assert.Equal([(PersonOutcome.NotInsured, OutcomeReasons.Suspended), (PersonOutcome.NotInsured, OutcomeReasons.NotOnRoster)], stored.Skip(1).Select(p => (p.Outcome, p.Reason)));

        var counters = await CountersAsync(host.Storage);
        Assert.Equal(1, counters.Sum(c => c.GetInt64(TallyColumns.Enrolled) ?? 0));
        Assert.Equal(1, counters.Sum(c => c.GetInt64("D410502") ?? 0));
        Assert.Equal(1, counters.Sum(c => c.GetInt64("Semployee") ?? 0));
        Assert.Equal(1, counters.Sum(c => c.GetInt64("Rself") ?? 0));
    }

    [Fact]
    public async Task Fifty_signups_for_one_person_across_three_hosts_enroll_them_once()
    {
        var insurance = new InMemoryInsurance();
        var connection = azurite.NewAccount();
        await using var first = await PipelineHost.StartAsync(azurite, insurance: insurance, connectionString: connection);
        await using var second = await PipelineHost.StartAsync(azurite, insurance: insurance, connectionString: connection);
        await using var third = await PipelineHost.StartAsync(azurite, insurance: insurance, connectionString: connection);
        var grandparent = People.Next("410522", birthYear: 1940);
        insurance.Add(first.Identity(grandparent));

        var submissions = await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
        {
            var host = (i % 3) switch { 0 => first, 1 => second, _ => third };
            var token = await host.LoginAsync($"o-grandchild-{i}");
            var applicant = People.Next();
            return (host, token, id: await host.SubmitAcceptedAsync(token, People.SignUpJson(PlanYear, applicant, (grandparent, "parent"))));
        }));

        var outcomes = new List<string>();
        foreach (var (host, token, id) in submissions)
        {
            var view = await host.DecidedAsync(token, id);
            outcomes.Add(view.GetProperty("insured")[0].GetProperty("outcome").GetString()!);
        }

        Assert.Equal(1, outcomes.Count(o => o == "enrolled"));
        Assert.Equal(49, outcomes.Count(o => o == "already-enrolled"));
        var counters = await CountersAsync(first.Storage);
        Assert.Equal(1, counters.Sum(c => c.GetInt64(TallyColumns.Enrolled) ?? 0));
    }

    [Fact]
    public async Task A_signup_that_keeps_failing_lands_in_poison_shows_needs_review_and_can_be_requeued()
    {
        var insurance = new InMemoryInsurance();
        await using var host = await PipelineHost.StartAsync(azurite, insurance: insurance);
        var person = People.Next();
        insurance.Add(host.Identity(person));
        insurance.MakeUnavailable(host.PersonKey(person));
        var token = await host.LoginAsync("o-unlucky");

        var signUpId = await host.SubmitAcceptedAsync(token, People.SelfSignUp(PlanYear, person));
        var view = await host.DecidedAsync(token, signUpId, TimeSpan.FromSeconds(60));

        Assert.Equal("needs-review", view.GetProperty("status").GetString());
        Assert.Equal("needs-review", view.GetProperty("insured")[0].GetProperty("outcome").GetString());
        Assert.Contains(host.Logs.Lines, l => l.Contains("moved from signups to its poison queue after 5 attempts", StringComparison.Ordinal));

        using var ops = new HttpRequestMessage(HttpMethod.Get, "/api/ops/reviews");
        ops.Headers.Add("x-functions-key", PipelineHost.OpsKey);
        using var list = await host.Client.SendAsync(ops);
        var items = (await list.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items");
        Assert.Equal(signUpId, Assert.Single(items.EnumerateArray()).GetProperty("signUpId").GetString());

        insurance.Recover(host.PersonKey(person));
        using var requeue = new HttpRequestMessage(HttpMethod.Post, $"/api/ops/reviews/{signUpId}/requeue");
        requeue.Headers.Add("x-functions-key", PipelineHost.OpsKey);
        using var requeued = await host.Client.SendAsync(requeue);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, requeued.StatusCode);

        var after = await Eventually.ReturnsAsync(() => host.SignUpStatusAsync(token, signUpId), v => v.GetProperty("status").GetString() == "enrolled");
        Assert.Equal("enrolled", after.GetProperty("insured")[0].GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Ops_routes_refuse_callers_without_the_key()
    {
        await using var host = await PipelineHost.StartAsync(azurite, PipelineHost.WithoutListeners, insurance: new InMemoryInsurance());
        using var response = await host.Client.GetAsync("/api/ops/reviews");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("ops-key-required", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    internal static async Task<List<TableEntity>> CountersAsync(StorageProbe storage)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in storage.Table(TableNames.Enrollments).QueryAsync<TableEntity>())
        {
            if (EnrollmentKeys.IsCounterRow(row.RowKey))
                rows.Add(row);
        }
        return rows;
    }
}
