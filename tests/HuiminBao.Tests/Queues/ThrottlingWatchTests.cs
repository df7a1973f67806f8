using Azure;
using Azure.Core;
using Azure.Data.Tables;
using HuiminBao.DevHost.Azurite;
using HuiminBao.Queues;
using HuiminBao.StandIns;
using HuiminBao.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace HuiminBao.Tests.Queues;

/// <summary>
/// Azure Storage throttles with 503 Server Busy; Azurite never does, so a loopback server answers
/// the way the table service does when it throttles, and the watch must count every attempt the SDK
/// makes, retries included, and nothing for answers that aren't throttling.
/// </summary>
public sealed class ThrottlingWatchTests
{
    [Fact]
    public async Task Every_throttled_attempt_counts_including_the_ones_the_sdk_retries()
    {
        var answers = 0;
        await using var server = await LoopbackServer.StartAsync(app => app.MapPost("/{account}/{table}", async (HttpContext context) =>
        {
            Interlocked.Increment(ref answers);
            context.Response.StatusCode = 503;
            context.Response.Headers["x-ms-error-code"] = "ServerBusy";
            context.Response.ContentType = "application/json;odata=minimalmetadata";
            await context.Response.WriteAsync("""{"odata.error":{"code":"ServerBusy","message":{"lang":"en-US","value":"The server is busy."}}}""");
        }));
        var pressure = new IntakePressure();
        var storage = Storage(server.BaseAddress, pressure);

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => storage.Table("signups").AddEntityAsync(new TableEntity("p", "r")));

        Assert.Equal(503, failure.Status);
        Assert.Equal(4, answers);
        Assert.Equal(4, pressure.ThrottledTotal);
        Assert.Equal(4, pressure.TakeWindow().Throttled);
    }

    [Fact]
    public async Task Answers_that_are_not_throttling_do_not_count()
    {
        await using var server = await LoopbackServer.StartAsync(app => app.MapPost("/{account}/{table}", async (HttpContext context) =>
        {
            context.Response.StatusCode = 409;
            context.Response.Headers["x-ms-error-code"] = "EntityAlreadyExists";
            context.Response.ContentType = "application/json;odata=minimalmetadata";
            await context.Response.WriteAsync("""{"odata.error":{"code":"EntityAlreadyExists","message":{"lang":"en-US","value":"The specified entity already exists."}}}""");
        }));
        var pressure = new IntakePressure();

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => Storage(server.BaseAddress, pressure).Table("signups").AddEntityAsync(new TableEntity("p", "r")));

        Assert.Equal(409, failure.Status);
        Assert.Equal(0, pressure.ThrottledTotal);
    }

    private static StorageAccount Storage(Uri server, IntakePressure pressure)
    {
        var endpoint = $"http://127.0.0.1:{server.Port}/{AzuriteInstance.DevelopmentAccount}";
        var connection = $"DefaultEndpointsProtocol=http;AccountName={AzuriteInstance.DevelopmentAccount};AccountKey={AzuriteInstance.DevelopmentKey};" +
            $"BlobEndpoint={endpoint};QueueEndpoint={endpoint};TableEndpoint={endpoint};";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [StorageAccount.Setting] = connection }).Build();
        return new StorageAccount(configuration, new StorageCallCounter(), [new StoragePipelinePolicy(new ThrottlingWatch(pressure), HttpPipelinePosition.PerRetry)]);
    }
}
