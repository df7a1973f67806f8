using HuiminBao.Dashboard;
using HuiminBao.Http;
using HuiminBao.Tallies;

namespace HuiminBao.DevHost.Http;

/// <summary>Ops' tally query and dashboard, behind the ops key, on the routes the Functions app serves them.</summary>
public static class TallyRoutes
{
    public static IEndpointRouteBuilder MapTallyRoutes(this IEndpointRouteBuilder app)
    {
        var ops = app.MapGroup("/api").RequireOpsKey();

        ops.MapGet("/tallies", async (HttpRequest request, TallyQuery tallies, CancellationToken cancellationToken) =>
            (await tallies.GetAsync(request.Query["from"], request.Query["to"], request.Query["planYear"], cancellationToken)).ToResult(request))
            .WithName("GetTallies");

        ops.MapGet("/dashboard/{asset?}", (string? asset, DashboardPage dashboard) => dashboard.Get(asset).ToResult())
            .WithName("Dashboard");

        return app;
    }
}
