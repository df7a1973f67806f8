using System.Net;
using Azure.Data.Tables;
using HuiminBao.Intake;
using HuiminBao.Queues;
using HuiminBao.SignUps;
using HuiminBao.Storage;
using HuiminBao.Tests.Infrastructure;
using HuiminBao.Timers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace HuiminBao.Tests.Intake;

/// <summary>A sign-up stored but never queued (its client answered 503 and gone) is found and queued by the sweep, once.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class SignUpSweepTests(AzuriteFixture azurite)
{
    private const int PlanYear = PipelineHost.PlanYear;

    [Fact]
    public async Task A_sign_up_stranded_by_a_failed_send_is_queued_once_by_the_sweep_with_the_message_intake_would_have_sent()
    {
        var (host, clock, outage) = await StartAsync();
        await using var _ = host;
        var token = await host.LoginAsync("o-never-came-back");
        var person = People.Next();
        var (spouse, child) = (People.Next(), People.Next());

        outage.Failing = true;
        using var refused = await host.SubmitAsync(token, People.SignUpJson(PlanYear, person, (person, "self"), (spouse, "spouse"), (child, "child")));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        outage.Failing = false;
        var stranded = Assert.Single(await RecordsAsync(host));
        await SweepAsync(host);
        Assert.Empty(await MessagesAsync(host));

        clock.Advance(TimeSpan.FromMinutes(3));
        await Task.WhenAll(SweepAsync(host), SweepAsync(host));
        await SweepAsync(host);

        var queued = Assert.Single(Assert.Single(await MessagesAsync(host)).SignUps);
        Assert.Equal(stranded.RowKey, queued.SignUpId);
        Assert.Equal("o-never-came-back", queued.OpenId);
        Assert.Equal([host.Identity(person), host.Identity(spouse), host.Identity(child)], queued.Persons.Select(p => new PersonIdentity(p.PersonKey, p.NameKey!)));
        Assert.Equal(["self", "spouse", "child"], queued.Persons.Select(p => p.Relation));
        await Eventually.TrueAsync(async () => (await RecordsAsync(host)).Single().GetBoolean(nameof(SignUpRecord.Queued)) == true, because: "the swept record is marked queued");
    }

    [Fact]
    public async Task The_sweep_leaves_queued_decided_and_claimed_sign_ups_alone()
    {
        var (host, clock, outage) = await StartAsync();
        await using var _ = host;
        var token = await host.LoginAsync("o-sweep-bystander");
        await host.SubmitAcceptedAsync(token, People.SelfSignUp(PlanYear, People.Next()));
        outage.Failing = true;
        using var refused = await host.SubmitAsync(token, People.SelfSignUp(PlanYear, People.Next()));
        outage.Failing = false;
        var stranded = (await RecordsAsync(host)).Single(r => r.GetBoolean(nameof(SignUpRecord.Queued)) != true);
        // A request retrying it right now holds a live claim.
        await host.Storage.Table(TableNames.SignUps).UpdateEntityAsync(
            new TableEntity(stranded.PartitionKey, stranded.RowKey) { [nameof(SignUpRecord.EnqueueClaimedAt)] = clock.GetUtcNow() + TimeSpan.FromMinutes(3) }, Azure.ETag.All);
        await Eventually.TrueAsync(async () => (await RecordsAsync(host)).Count(r => r.GetBoolean(nameof(SignUpRecord.Queued)) == true) == 1, because: "the accepted one is marked queued");

        clock.Advance(TimeSpan.FromMinutes(3));
        await SweepAsync(host);

        Assert.Single(await MessagesAsync(host));
    }

    private async Task<(PipelineHost Host, FakeTimeProvider Clock, FailQueueSends Outage)> StartAsync()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(PlanYear, 3, 6, 2, 0, 0, TimeSpan.Zero));
        var outage = new FailQueueSends(QueueNames.SignUps);
        var settings = new Dictionary<string, string?>(PipelineHost.WithoutListeners) { ["DevHost:Timers"] = "false" };
        var host = await PipelineHost.StartAsync(azurite, settings, insurance: new InMemoryInsurance(),
            services: s => s.AddSingleton<TimeProvider>(clock).AddSingleton(new StoragePipelinePolicy(outage)));
        return (host, clock, outage);
    }

    private static async Task SweepAsync(PipelineHost host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var now = host.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        await scope.ServiceProvider.GetRequiredService<SignUpSweep>().RunAsync(TimerFiring.At(now, now), CancellationToken.None);
    }

    private static async Task<List<SignUpBatch>> MessagesAsync(PipelineHost host) =>
        [.. (await host.Storage.Queue(QueueNames.SignUps).PeekMessagesAsync(32)).Value.Select(m => m.Body.ToObjectFromJson(SignUpJson.Default.SignUpBatch)!)];

    private static async Task<List<TableEntity>> RecordsAsync(PipelineHost host)
    {
        var records = new List<TableEntity>();
        await foreach (var row in host.Storage.Table(TableNames.SignUps).QueryAsync<TableEntity>())
        {
            if (!SignUpKeys.IsNotificationRow(row.RowKey))
                records.Add(row);
        }
        return records;
    }
}
