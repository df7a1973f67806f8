using HuiminBao.Dashboard;
using HuiminBao.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace HuiminBao.Functions.Ops;

public sealed class Dashboard(DashboardPage dashboard)
{
    [Function(nameof(Dashboard))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.DashboardTemplate)] HttpRequest request,
        string? asset) =>
        dashboard.Get(asset).ToResult();
}
