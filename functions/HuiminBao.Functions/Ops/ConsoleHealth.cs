using HuiminBao.Health;
using HuiminBao.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace HuiminBao.Functions.Ops;

public sealed class ConsoleHealth(HealthQuery health)
{
    [Function(nameof(ConsoleHealth))]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.ConsoleHealthTemplate)] HttpRequest request,
        CancellationToken cancellationToken) =>
        (await health.GetAsync(cancellationToken)).ToResult();
}
