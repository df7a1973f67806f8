using HuiminBao.Http;
using HuiminBao.Tallies;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace HuiminBao.Functions.Ops;

public sealed class GetTallies(TallyQuery tallies)
{
    [Function(nameof(GetTallies))]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.TalliesTemplate)] HttpRequest request,
        CancellationToken cancellationToken) =>
        (await tallies.GetAsync(request.Query["from"], request.Query["to"], request.Query["planYear"], cancellationToken)).ToResult(request);
}
