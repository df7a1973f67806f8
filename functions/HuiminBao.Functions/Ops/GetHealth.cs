using HuiminBao.Health;
using HuiminBao.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace HuiminBao.Functions.Ops;

public sealed class GetHealth(HealthQuery health)
{
    [Function(nameof(GetHealth))]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.HealthTemplate)] HttpRequest request,
        CancellationToken cancellationToken) =>
        (await health.GetAsync(cancellationToken)).ToResult();
}
