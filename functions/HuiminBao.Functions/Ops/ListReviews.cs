using HuiminBao.Http;
using HuiminBao.Reviews;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace HuiminBao.Functions.Ops;

public sealed class ListReviews(PoisonedSignUps reviews)
{
    [Function(nameof(ListReviews))]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.ReviewsTemplate)] HttpRequest request,
        CancellationToken cancellationToken) =>
        (await reviews.ListAsync(cancellationToken)).ToResult();
}
