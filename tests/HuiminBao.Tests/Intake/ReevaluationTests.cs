using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using HuiminBao.Enrollment;
using HuiminBao.Queues;
using HuiminBao.SignUps;
using HuiminBao.Storage;
using HuiminBao.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace HuiminBao.Tests.Intake;

/// <summary>
/// The same household posted again replays its sign-up while that is being decided (or was decided a
/// moment ago), and is evaluated anew once it was decided with someone turned away: the roster may
/// have changed since.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ReevaluationTests(AzuriteFixture azurite)
{
    private const int PlanYear = PipelineHost.PlanYear;

    [Fact]
    public async Task A_household_turned_away_and_posted_again_after_the_roster_changed_is_evaluated_again()
    {
        var insurance = new InMemoryInsurance();
        var clock = new FakeTimeProvider(new DateTimeOffset(PlanYear, 3, 6, 2, 0, 0, TimeSpan.Zero));
        await using var host = await PipelineHost.StartAsync(azurite, new Dictionary<string, string?> { ["DevHost:Timers"] = "false" }, s => s.AddSingleton<TimeProvider>(clock), insurance: insurance);
        var (applicant, spouse) = (People.Next(), People.Next("410503"));
        // The bureau had the spouse under a misspelt name, and the applicant not at all.
        insurance.Add(host.Identity(spouse with { Name = spouse.Name + "华" }));
        var token = await host.LoginAsync("o-roster-fixed");
        var body = People.SignUpJson(PlanYear, applicant, (applicant, "self"), (spouse, "spouse"));

        var first = await host.SubmitAcceptedAsync(token, body);
        Assert.Equal("rejected", (await host.DecidedAsync(token, first)).GetProperty("status").GetString());
        // A moment after the decision, posting it again is a double tap: the decision answers.
        Assert.Equal(first, await host.SubmitAcceptedAsync(token, body));

        insurance.Add(host.Identity(spouse));
        insurance.Add(host.Identity(applicant));
        clock.Advance(TimeSpan.FromMinutes(2));
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
        // Re-evaluation at once; no listeners, so the new sign-up stays pending while the posts race.
        var settings = new Dictionary<string, string?>(PipelineHost.WithoutListeners) { ["Intake:ReevaluateAfter"] = "00:00:00" };
        await using var host = await PipelineHost.StartAsync(azurite, settings, insurance: new InMemoryInsurance());
        var token = await host.LoginAsync("o-tapping-again");
        var body = People.SelfSignUp(PlanYear, People.Next());
        var first = await host.SubmitAcceptedAsync(token, body);
        await ValidateQueuedAsync(host);
        Assert.Equal("rejected", (await host.SignUpStatusAsync(token, first)).GetProperty("status").GetString());

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
        // Re-evaluation at once, so only the key can be what replays.
        await using var host = await PipelineHost.StartAsync(azurite, new Dictionary<string, string?> { ["Intake:ReevaluateAfter"] = "00:00:00" }, insurance: new InMemoryInsurance());
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

    /// <summary>Decides what is on the <c>signups</c> queue, as the listener would.</summary>
    private static async Task ValidateQueuedAsync(PipelineHost host)
    {
        foreach (var message in (await host.Storage.Queue(QueueNames.SignUps).ReceiveMessagesAsync(32)).Value)
        {
            await using var scope = host.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<SignUpValidation>().HandleAsync(message.Body.ToObjectFromJson(SignUpJson.Default.SignUpBatch)!,
                new QueueDelivery(message.MessageId, 1, message.InsertedOn), CancellationToken.None);
        }
    }

    private static async Task<int> RecordCountAsync(PipelineHost host)
    {
        var count = 0;
        await foreach (var row in host.Storage.Table(TableNames.SignUps).QueryAsync<TableEntity>(select: ["RowKey"]))
            count += SignUpKeys.IsNotificationRow(row.RowKey) ? 0 : 1;
        return count;
    }
}
