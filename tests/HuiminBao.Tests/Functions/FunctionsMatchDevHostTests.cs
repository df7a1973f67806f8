using HuiminBao.DevHost.Http;
using HuiminBao.DevHost.Queues;
using HuiminBao.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace HuiminBao.Tests.Functions;

/// <summary>The local host must serve exactly what the Functions app declares: same routes, verbs, key requirements, queues and schedules.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class FunctionsMatchDevHostTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Every_function_route_and_queue_is_served_by_the_local_host_and_nothing_else()
    {
        var (http, queues, schedules) = FunctionTriggers.Read();
        await using var host = await PipelineHost.StartAsync(azurite, PipelineHost.WithoutListeners, insurance: new InMemoryInsurance());

        var served = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["*"])
                // A group's "" route reads "/prefix/"; ASP.NET Core and Functions both serve it without the slash.
                .Select(m => $"{m} {e.RoutePattern.RawText!.TrimEnd('/')} key:{e.Metadata.GetMetadata<OpsKeyRequired>() is not null}"))
            .Order()
            .ToList();
        var declared = http.Select(f => $"{f.Method} {f.Route} key:{f.RequiresKey}").Order().ToList();

        Assert.NotEmpty(declared);
        Assert.Equal(declared, served);

        var listened = host.Services.GetServices<QueueBinding>().Select(b => b.Queue).Order().ToList();
        Assert.Equal(queues.Order().ToList(), listened);

        var timed = host.Services.GetServices<HuiminBao.DevHost.Timers.TimerBinding>().Select(b => b.ScheduleExpression).Order().ToList();
        Assert.NotEmpty(schedules);
        Assert.Equal(schedules.Order().ToList(), timed);
    }
}
