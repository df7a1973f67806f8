using HuiminBao.Http;
using HuiminBao.Privacy;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace HuiminBao.Functions.Privacy;

public sealed class ResealPersonalData(DataKeyReseal reseal)
{
    [Function(nameof(ResealPersonalData))]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.ResealTemplate)] HttpRequest request,
        CancellationToken cancellationToken) =>
        (await reseal.RunAsync(request.Query["continuation"], request.Query["limit"], request.HttpContext.GetOpsCaller()?.Name, cancellationToken)).ToResult();
}
