using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using HuiminBao.SignUps;
using HuiminBao.Storage;
using HuiminBao.Tests.Infrastructure;

namespace HuiminBao.Tests.Intake;

/// <summary>
/// The same household posted again replays its sign-up while that is being decided, and is evaluated
/// anew once it was decided with someone turned away: the roster may have changed since.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ReevaluationTests(AzuriteFixture azurite)
{
    private const int PlanYear = PipelineHost.PlanYear;

    [Fact]
    public async Task A_household_turned_away_and_posted_again_after_the_roster_changed_is_evaluated_again()
    {
        var insurance = new InMemoryInsurance();
        await using var host = await PipelineHost.StartAsync(azurite, insurance: insurance);
        var (applicant, spouse) = (People.Next(), People.Next("410503"));
        // The bureau had the spouse under a misspelt name, and the applicant not at all.
        insurance.Add(host.Identity(spouse with { Name = spouse.Name + "华" }));
        var token = await host.LoginAsync("o-roster-fixed");
        var body = People.SignUpJson(PlanYear, applicant, (applicant, "self"), (spouse, "spouse"));

        var first = await host.SubmitAcceptedAsync(token, body);
        Assert.Equal("rejected", (await host.DecidedAsync(token, first)).GetProperty("status").GetString());

        insurance.Add(host.Identity(spouse));
        insurance.Add(host.Identity(applicant));
        var second = await host.SubmitAcceptedAsync(token, body);

        Assert.NotEqual(first, second);
        var view = await host.DecidedAsync(token, second);
        Assert.Equal("enrolled", view.GetProperty("status").GetString());
        // Everyone is enrolled now: posting it once more changes nothing and answers with that sign-up.
        Assert.Equal(second, await host.SubmitAcceptedAsync(token, body));
        Assert.Equal("rejected", (await host.SignUpStatusAsync(token, first)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Concurrent_posts_of_a_decided_household_make_one_new_sign_up()
    {
        var insurance = new InMemoryInsurance();
        await using var host = await PipelineHost.StartAsync(azurite, insurance: insurance);
        var token = await host.LoginAsync("o-tapping-again");
        var body = People.SelfSignUp(PlanYear, People.Next());
        var first = await host.SubmitAcceptedAsync(token, body);
        await host.DecidedAsync(token, first);

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => host.SubmitAsync(token, body)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("signUpId").GetString()));
        var second = Assert.Single(ids.Distinct());
        Assert.NotEqual(first, second);
        Assert.Equal(2, await RecordCountAsync(host));
        Assert.Equal(11, responses.Count(r => r.Headers.Contains("Idempotent-Replayed")));
    }

    [Fact]
    public async Task An_idempotency_key_replays_its_sign_up_even_once_it_was_rejected()
    {
        await using var host = await PipelineHost.StartAsync(azurite, insurance: new InMemoryInsurance());
        var token = await host.LoginAsync("o-keyed-retry");
        var body = People.SelfSignUp(PlanYear, People.Next());
        var first = await host.SubmitAcceptedAsync(token, body, idempotencyKey: "retry-me-1");
        Assert.Equal("rejected", (await host.DecidedAsync(token, first)).GetProperty("status").GetString());

        using var again = await host.SubmitAsync(token, body, idempotencyKey: "retry-me-1");

        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.True(again.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(first, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("signUpId").GetString());
        Assert.Equal(1, await RecordCountAsync(host));
    }

    private static async Task<int> RecordCountAsync(PipelineHost host)
    {
        var count = 0;
        await foreach (var row in host.Storage.Table(TableNames.SignUps).QueryAsync<TableEntity>(select: ["RowKey"]))
            count += SignUpKeys.IsNotificationRow(row.RowKey) ? 0 : 1;
        return count;
    }
}
