using HuiminBao.Http;
using HuiminBao.Tallies;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace HuiminBao.Functions.Ops;

public sealed class ConsoleTallies(TallyQuery tallies)
{
    [Function(nameof(ConsoleTallies))]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.ConsoleTalliesTemplate)] HttpRequest request,
        CancellationToken cancellationToken) =>
        (await tallies.GetAsync(request.Query["from"], request.Query["to"], request.Query["planYear"], cancellationToken)).ToResult(request);
}
