using HuiminBao.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace HuiminBao.Functions.Ops;

public sealed class OpenDashboard(OpsConsoleSessions sessions)
{
    [Function(nameof(OpenDashboard))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.DashboardTemplate)] HttpRequest request) =>
        ConsoleEntry.Open(request.HttpContext, sessions);
}
