using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using HuiminBao.Queues;
using HuiminBao.Storage;
using HuiminBao.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace HuiminBao.Tests.Intake;

[Collection(AzuriteCollection.Name)]
public sealed class OverloadTests(AzuriteFixture azurite)
{
    private const int PlanYear = PipelineHost.PlanYear;

    [Fact]
    public async Task While_queue_sends_lag_new_signups_are_refused_at_once_with_nothing_stored_and_the_waiting_ones_still_land()
    {
        var stall = new HoldQueueSends(QueueNames.SignUps);
        await using var host = await PipelineHost.StartAsync(azurite, PipelineHost.WithoutListeners, insurance: new InMemoryInsurance(),
            services: s => s.AddSingleton(new StoragePipelinePolicy(stall)));
        var tokens = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => host.LoginAsync($"o-overload-{i}")));

        stall.Hold();
        var inFlight = host.SubmitAsync(tokens[0], People.SelfSignUp(PlanYear, People.Next()), idempotencyKey: "in-flight");
        await Eventually.TrueAsync(async () => await CountAsync(host) == 1, because: "the first sign-up is stored and its send held");
        var waiting = host.SubmitAsync(tokens[1], People.SelfSignUp(PlanYear, People.Next()), idempotencyKey: "waiting");
        await Eventually.TrueAsync(async () => await CountAsync(host) == 2, because: "the second sign-up is stored and waits behind the held send");
        await Task.Delay(TimeSpan.FromSeconds(2.5));

        var refusedBody = People.SelfSignUp(PlanYear, People.Next());
        var started = System.Diagnostics.Stopwatch.StartNew();
        using var refused = await host.SubmitAsync(tokens[2], refusedBody, idempotencyKey: "refused");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(2), $"refusing took {started.Elapsed}");
        Assert.Equal("storage-unavailable", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal(2, await CountAsync(host));

        stall.Release();
        using var first = await inFlight;
        using var second = await waiting;
        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (first.StatusCode, second.StatusCode));
        using var retried = await host.SubmitAsync(tokens[2], refusedBody, idempotencyKey: "refused");
        Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
    }

    private static async Task<int> CountAsync(PipelineHost host)
    {
        var count = 0;
        await foreach (var _ in host.Storage.Table(TableNames.SignUps).QueryAsync<TableEntity>(select: ["RowKey"]))
            count++;
        return count;
    }
}
