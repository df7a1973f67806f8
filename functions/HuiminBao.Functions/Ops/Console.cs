using HuiminBao.Dashboard;
using HuiminBao.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace HuiminBao.Functions.Ops;

public sealed class Console(DashboardPage dashboard)
{
    [Function(nameof(Console))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.ConsoleTemplate)] HttpRequest request,
        string? asset) =>
        dashboard.Get(asset).ToResult();
}
