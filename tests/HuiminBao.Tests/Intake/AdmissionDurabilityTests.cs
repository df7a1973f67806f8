using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using HuiminBao.Intake;
using HuiminBao.Queues;
using HuiminBao.SignUps;
using HuiminBao.Storage;
using HuiminBao.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace HuiminBao.Tests.Intake;

/// <summary>Once intake starts making a sign-up durable, neither the client leaving nor the time budget running out may strand or double it.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AdmissionDurabilityTests(AzuriteFixture azurite)
{
    private const int PlanYear = PipelineHost.PlanYear;

    [Fact]
    public async Task A_client_that_disconnects_while_its_sign_up_is_being_stored_still_gets_it_stored_and_queued()
    {
        var stall = HoldRequests.TableWrites(TableNames.SignUps);
        await using var host = await PipelineHost.StartAsync(azurite, PipelineHost.WithoutListeners, insurance: new InMemoryInsurance(),
            services: s => s.AddSingleton(new StoragePipelinePolicy(stall)));
        var token = await host.LoginAsync("o-walks-away");
        var body = People.SelfSignUp(PlanYear, People.Next());
        using var client = new CancellationTokenSource();

        stall.Hold();
        Task<HuiminBao.Domain.Outcome<SignUpAccepted>> submitting;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var intake = scope.ServiceProvider.GetRequiredService<SignUpIntake>();
            submitting = intake.SubmitAsync(new SignUpSubmission("Bearer " + token, null, "application/json", new MemoryStream(Encoding.UTF8.GetBytes(body))), client.Token);
            await Eventually.TrueAsync(() => Task.FromResult(stall.Arrived > 0), because: "the record's write reached storage");
            await client.CancelAsync();
            stall.Release();
            try
            {
                await submitting;
            }
            catch (OperationCanceledException)
            {
                // The client is gone either way; what matters is what storage holds.
            }
        }

        await Eventually.TrueAsync(async () => (await RecordsAsync(host)).Count == 1, because: "the sign-up is stored");
        var record = Assert.Single(await RecordsAsync(host));
        await Eventually.TrueAsync(async () => (await host.Storage.Queue(QueueNames.SignUps).PeekMessagesAsync(32)).Value.Length == 1,
            because: "the stored sign-up is queued although its client left");
        var message = Assert.Single((await host.Storage.Queue(QueueNames.SignUps).PeekMessagesAsync(32)).Value);
        Assert.Equal(record.RowKey, Assert.Single(message.Body.ToObjectFromJson(SignUpJson.Default.SignUpBatch)!.SignUps).SignUpId);
    }

    [Fact]
    public async Task A_sign_up_whose_message_was_on_its_way_when_the_budget_ran_out_is_answered_by_the_send_and_its_retry_queues_nothing_more()
    {
        var stall = new HoldQueueSends(QueueNames.SignUps);
        var clock = new FakeTimeProvider(new DateTimeOffset(PlanYear, 3, 6, 2, 0, 0, TimeSpan.Zero));
        var settings = new Dictionary<string, string?>(PipelineHost.WithoutListeners) { ["DevHost:Timers"] = "false" };
        await using var host = await PipelineHost.StartAsync(azurite, settings, insurance: new InMemoryInsurance(),
            services: s => s.AddSingleton<TimeProvider>(clock).AddSingleton(new StoragePipelinePolicy(stall)));
        var token = await host.LoginAsync("o-slow-queue");
        var body = People.SelfSignUp(PlanYear, People.Next());

        stall.Hold();
        var first = host.SubmitAsync(token, body, idempotencyKey: "in-flight-when-late");
        await Eventually.TrueAsync(() => Task.FromResult(stall.Arrived > 0), because: "the message send reached the queue service");
        clock.Advance(TimeSpan.FromSeconds(30));
        await Task.Delay(300);
        Assert.False(first.IsCompleted, "answered while its message was still on its way");
        stall.Release();

        using var answered = await first;
        Assert.Equal(HttpStatusCode.Accepted, answered.StatusCode);
        var id = (await answered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("signUpId").GetString()!;
        await Eventually.TrueAsync(async () => (await RecordsAsync(host)).Single().GetBoolean(nameof(SignUpRecord.Queued)) == true, because: "the record is marked queued");
        using var retried = await host.SubmitAsync(token, body, idempotencyKey: "in-flight-when-late");
        Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
        Assert.Equal(id, (await retried.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("signUpId").GetString());
        Assert.Single((await host.Storage.Queue(QueueNames.SignUps).PeekMessagesAsync(32)).Value);
    }

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
