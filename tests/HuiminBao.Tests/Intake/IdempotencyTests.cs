using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using HuiminBao.Queues;
using HuiminBao.SignUps;
using HuiminBao.Storage;
using HuiminBao.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace HuiminBao.Tests.Intake;

[Collection(AzuriteCollection.Name)]
public sealed class IdempotencyTests(AzuriteFixture azurite)
{
    private const int PlanYear = PipelineHost.PlanYear;

    [Fact]
    public async Task Twenty_concurrent_replays_with_one_key_create_one_signup_and_one_message()
    {
        await using var host = await PipelineHost.StartAsync(azurite, PipelineHost.WithoutListeners, insurance: new InMemoryInsurance());
        var token = await host.LoginAsync("o-impatient");
        var body = People.SelfSignUp(PlanYear, People.Next());

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => host.SubmitAsync(token, body, idempotencyKey: "tap-tap-tap-1")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("signUpId").GetString()));
        Assert.Single(ids.Distinct());
        Assert.Equal(1, await CountAsync(host.Storage.Table(TableNames.SignUps)));
        Assert.Single((await host.Storage.Queue(QueueNames.SignUps).PeekMessagesAsync(32)).Value);
        Assert.Equal(19, responses.Count(r => r.Headers.Contains("Idempotent-Replayed")));
    }

    [Fact]
    public async Task Same_body_again_without_a_key_returns_the_original_and_a_reused_key_with_another_body_is_422()
    {
        await using var host = await PipelineHost.StartAsync(azurite, PipelineHost.WithoutListeners, insurance: new InMemoryInsurance());
        var token = await host.LoginAsync("o-double-tap");
        var person = People.Next();

        var first = await host.SubmitAcceptedAsync(token, People.SelfSignUp(PlanYear, person));
        var again = await host.SubmitAcceptedAsync(token, People.SelfSignUp(PlanYear, person));
        Assert.Equal(first, again);

        var keyed = await host.SubmitAcceptedAsync(token, People.SelfSignUp(PlanYear, People.Next()), idempotencyKey: "k-1");
        using var reused = await host.SubmitAsync(token, People.SelfSignUp(PlanYear, People.Next()), idempotencyKey: "k-1");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        Assert.Equal("idempotency-key-reused", (await reused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());

        Assert.NotEqual(first, keyed);
        Assert.Equal(2, await CountAsync(host.Storage.Table(TableNames.SignUps)));
        Assert.Equal(2, (await host.Storage.Queue(QueueNames.SignUps).PeekMessagesAsync(32)).Value.Length);
    }

    [Fact]
    public async Task Full_width_digits_and_a_lowercase_x_are_the_same_person_after_normalising()
    {
        await using var host = await PipelineHost.StartAsync(azurite, PipelineHost.WithoutListeners, insurance: new InMemoryInsurance());
        var token = await host.LoginAsync("o-fullwidth");
        var id = People.IdNumber("410502", new DateOnly(1985, 6, 9), 31);
        while (!id.EndsWith('X'))
            id = People.IdNumber("410502", new DateOnly(1985, 6, 9), Random.Shared.Next(1000));
        var person = new Person("王芳", id, "13900001111");
        var fullWidth = new Person("王芳", string.Concat(id[..17].Select(c => (char)(c - '0' + '０'))) + "x", "+86 139-0000-1111");

        var plain = await host.SubmitAcceptedAsync(token, People.SelfSignUp(PlanYear, person));
        var wide = await host.SubmitAcceptedAsync(token, People.SelfSignUp(PlanYear, fullWidth));

        Assert.Equal(plain, wide);
        var view = await host.SignUpStatusAsync(token, plain);
        Assert.Equal($"{id[..6]}********{id[^4..]}", view.GetProperty("insured")[0].GetProperty("idNumber").GetString());
    }

    [Fact]
    public async Task A_signup_stored_while_the_queue_is_down_is_queued_by_the_clients_retry()
    {
        var outage = new FailQueueSends(QueueNames.SignUps);
        await using var host = await PipelineHost.StartAsync(azurite, PipelineHost.WithoutListeners, insurance: new InMemoryInsurance(),
            services: s => s.AddSingleton(new StoragePipelinePolicy(outage)));
        var token = await host.LoginAsync("o-outage");
        var body = People.SelfSignUp(PlanYear, People.Next());

        outage.Failing = true;
        using var failed = await host.SubmitAsync(token, body, idempotencyKey: "during-outage");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Equal("storage-unavailable", (await failed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.NotNull(failed.Headers.RetryAfter);
        Assert.Equal(1, await CountAsync(host.Storage.Table(TableNames.SignUps)));
        Assert.Empty((await host.Storage.Queue(QueueNames.SignUps).PeekMessagesAsync(32)).Value);

        outage.Failing = false;
        var id = await host.SubmitAcceptedAsync(token, body, idempotencyKey: "during-outage");

        var message = Assert.Single((await host.Storage.Queue(QueueNames.SignUps).PeekMessagesAsync(32)).Value);
        Assert.Equal(id, Assert.Single(message.Body.ToObjectFromJson(SignUpJson.Default.SignUpBatch)!.SignUps).SignUpId);
        await Eventually.TrueAsync(async () => (await host.Storage.Table(TableNames.SignUps).GetEntityAsync<SignUpRecord>(SignUpKeys.Partition(id), SignUpKeys.RecordRow(id))).Value.Queued,
            because: "the record is marked queued, so later replays answer at once");
    }

    private static async Task<int> CountAsync(TableClient table)
    {
        var count = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(select: ["PartitionKey"]))
            count++;
        return count;
    }
}
