using HuiminBao.Http;
using HuiminBao.Reviews;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace HuiminBao.Functions.Ops;

public sealed class RequeueReview(PoisonedSignUps reviews)
{
    [Function(nameof(RequeueReview))]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.RequeueTemplate)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        (await reviews.RequeueAsync(id, cancellationToken)).ToResult();
}
