using System.Collections.Concurrent;
using System.Text.Json;
using Azure.Data.Tables;
using HuiminBao.DevHost.Azurite;
using HuiminBao.StandIns;
using HuiminBao.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace HuiminBao.Tests.Storage;

/// <summary>Intake's storage calls overtake the calls other work has waiting, and other work keeps its reserve and every place intake leaves.</summary>
public sealed class StorageLanesTests
{
    private static StorageLanes Lanes(int capacity, int reserve) => new(new StorageLanesOptions { Capacity = capacity, Reserve = reserve });

    [Fact]
    public async Task A_waiting_intake_call_goes_before_other_work_that_waited_longer()
    {
        var lanes = Lanes(capacity: 2, reserve: 1);
        await lanes.EnterAsync(intake: false, CancellationToken.None);
        await lanes.EnterAsync(intake: false, CancellationToken.None);
        var otherWaiting = lanes.EnterAsync(intake: false, CancellationToken.None);
        var intakeWaiting = lanes.EnterAsync(intake: true, CancellationToken.None);
        Assert.False(otherWaiting.IsCompleted || intakeWaiting.IsCompleted);

        lanes.Leave(intake: false);
        await intakeWaiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(otherWaiting.IsCompleted);

        // The last call of other work in flight ends: its reserve lets the next one in whatever waits.
        lanes.Leave(intake: false);
        await otherWaiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(new StorageLanesGauge(2, 0, 0, 1, 1), lanes.Gauge());
    }

    [Fact]
    public async Task Other_work_keeps_its_reserve_while_intake_fills_every_place()
    {
        var lanes = Lanes(capacity: 2, reserve: 1);
        await lanes.EnterAsync(intake: true, CancellationToken.None);
        await lanes.EnterAsync(intake: true, CancellationToken.None);

        var reserved = lanes.EnterAsync(intake: false, CancellationToken.None);
        var beyond = lanes.EnterAsync(intake: false, CancellationToken.None);

        Assert.True(reserved.IsCompletedSuccessfully);
        Assert.False(beyond.IsCompleted);
        Assert.Equal(3, lanes.Gauge().InFlight);
    }

    [Fact]
    public async Task While_intake_is_quiet_other_work_takes_every_place_and_no_more()
    {
        var lanes = Lanes(capacity: 4, reserve: 1);
        for (var i = 0; i < 4; i++)
            await lanes.EnterAsync(intake: false, CancellationToken.None);

        var fifth = lanes.EnterAsync(intake: false, CancellationToken.None);

        Assert.False(fifth.IsCompleted);
        lanes.Leave(intake: false);
        await fifth.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_call_given_up_while_waiting_takes_no_place()
    {
        var lanes = Lanes(capacity: 1, reserve: 1);
        await lanes.EnterAsync(intake: false, CancellationToken.None);
        using var giveUp = new CancellationTokenSource();
        var abandoned = lanes.EnterAsync(intake: false, giveUp.Token);
        var next = lanes.EnterAsync(intake: false, CancellationToken.None);

        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        lanes.Leave(intake: false);

        await next.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal((1, 0), (lanes.Gauge().InFlight, lanes.Gauge().OtherWaiting));
    }

    [Fact]
    public async Task Through_the_storage_clients_a_call_made_as_intake_overtakes_queued_calls_of_other_work()
    {
        // A loopback table endpoint that answers one insert per permit and records the order they arrive in.
        var arrived = new ConcurrentQueue<string>();
        using var permits = new SemaphoreSlim(0);
        await using var server = await LoopbackServer.StartAsync(app => app.MapPost("/{account}/{table}", async (HttpContext context) =>
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            arrived.Enqueue(body.RootElement.GetProperty("RowKey").GetString()!);
            await permits.WaitAsync();
            context.Response.StatusCode = 204;
            context.Response.Headers.ETag = "W/\"datetime'2026-12-01T00%3A00%3A00Z'\"";
        }));
        var endpoint = $"http://127.0.0.1:{server.BaseAddress.Port}/{AzuriteInstance.DevelopmentAccount}";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [StorageAccount.Setting] = $"DefaultEndpointsProtocol=http;AccountName={AzuriteInstance.DevelopmentAccount};AccountKey={AzuriteInstance.DevelopmentKey};BlobEndpoint={endpoint};QueueEndpoint={endpoint};TableEndpoint={endpoint};",
            ["StorageLanes:Capacity"] = "2",
            ["StorageLanes:Reserve"] = "1",
        }).Build();
        var account = new StorageAccount(configuration, new StorageCallCounter());
        var table = account.Table("signups");

        var calls = new List<Task> { table.AddEntityAsync(new TableEntity("p", "other-1")), table.AddEntityAsync(new TableEntity("p", "other-2")) };
        await WaitForAsync(() => arrived.Count == 2);
        calls.Add(table.AddEntityAsync(new TableEntity("p", "other-3")));
        await WaitForAsync(() => account.TableLanes.Gauge().OtherWaiting == 1);
        calls.Add(table.AddEntityAsync(new TableEntity("p", "other-4")));
        await WaitForAsync(() => account.TableLanes.Gauge().OtherWaiting == 2);
        using (StoragePriority.Intake())
            calls.Add(table.AddEntityAsync(new TableEntity("p", "intake")));
        await WaitForAsync(() => account.TableLanes.Gauge().IntakeWaiting == 1);
        Assert.Equal(2, arrived.Count);

        permits.Release();
        await WaitForAsync(() => arrived.Count == 3);
        Assert.Equal("intake", arrived.Last());
        permits.Release();
        await WaitForAsync(() => arrived.Count == 4);
        Assert.Equal("other-3", arrived.Last());

        permits.Release(3);
        await Task.WhenAll(calls);
        Assert.Equal("other-4", arrived.Last());
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "timed out");
            await Task.Delay(10);
        }
    }
}
