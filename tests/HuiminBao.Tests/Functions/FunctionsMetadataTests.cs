using HuiminBao.DevHost.Queues;
using HuiminBao.DevHost.Timers;
using HuiminBao.Hosting;
using HuiminBao.Http;
using HuiminBao.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HuiminBao.Tests.Functions;

/// <summary>
/// The Functions app as its build declares it (<c>functions.metadata</c>, which the Functions host
/// binds from) and the local host as it serves: both exactly the one route and trigger table.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class FunctionsMetadataTests(AzuriteFixture azurite)
{
    [Fact]
    public void The_generated_metadata_declares_every_route_and_trigger_of_the_table_and_nothing_else()
    {
        var declared = DeclaredFunction.Read(FunctionsBuildOutput.Metadata);

        var http = declared.Where(f => f.Trigger == "httpTrigger").Select(f => $"{f.Name} {f.Method} {f.Route} {f.AuthLevel}").Order().ToList();
        var table = ApiRoutes.All.Select(r => $"{r.Name} {r.Method} {r.Template} {(r.Access == RouteAccess.OpsKey ? "Function" : "Anonymous")}").Order().ToList();
        Assert.Equal(table, http);

        var queues = declared.Where(f => f.Trigger == "queueTrigger").Select(f => $"{f.Name} {f.Queue} {f.Connection ?? "AzureWebJobsStorage"}").Order().ToList();
        Assert.Equal(PipelineTriggers.Queues.Select(q => $"{q.Function} {q.Queue} AzureWebJobsStorage").Order().ToList(), queues);

        var timers = declared.Where(f => f.Trigger == "timerTrigger").Select(f => $"{f.Name} {f.Schedule}").Order().ToList();
        Assert.Equal(PipelineTriggers.Timers.Select(t => $"{t.Function} {t.Schedule}").Order().ToList(), timers);

        Assert.Equal(declared.Count, http.Count + queues.Count + timers.Count);
    }

    [Fact]
    public async Task The_local_host_serves_and_listens_to_exactly_the_same_table()
    {
        await using var host = await PipelineHost.StartAsync(azurite, insurance: new InMemoryInsurance());

        var served = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal))
            .Select(e => (Route: e.Metadata.GetMetadata<ApiRoute>(), Methods: e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods, Pattern: e.RoutePattern.RawText))
            .ToList();
        Assert.All(served, e => Assert.NotNull(e.Route));
        Assert.Equal(
            ApiRoutes.All.Select(r => $"{r.Name} {r.Method} {r.Pattern}").Order(),
            served.Select(e => $"{e.Route!.Name} {string.Join(',', e.Methods)} {e.Pattern}").Order());

        var hosted = host.Services.GetServices<IHostedService>().ToList();
        Assert.Equal(PipelineTriggers.Queues.Select(q => q.Function).Order(), hosted.OfType<QueueListener>().Select(l => l.Trigger.Function).Order());
        Assert.Equal(PipelineTriggers.Timers.Select(t => t.Function).Order(), hosted.OfType<TimerListener>().Select(l => l.Trigger.Function).Order());
    }
}
