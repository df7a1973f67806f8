using HuiminBao.Http;
using HuiminBao.Reviews;

namespace HuiminBao.DevHost.Http;

/// <summary>Ops routes (function-key protected in Azure; <c>x-functions-key</c> checked here).</summary>
public static class OpsRoutes
{
    public static IEndpointRouteBuilder MapOpsRoutes(this IEndpointRouteBuilder app)
    {
        var ops = app.MapGroup("/api/ops").RequireOpsKey();

        ops.MapGet("/reviews", async (PoisonedSignUps reviews, CancellationToken cancellationToken) =>
            (await reviews.ListAsync(cancellationToken)).ToResult())
            .WithName("ListReviews");

        ops.MapPost("/reviews/{id}/requeue", async (string id, PoisonedSignUps reviews, CancellationToken cancellationToken) =>
            (await reviews.RequeueAsync(id, cancellationToken)).ToResult())
            .WithName("RequeueReview");

        return app;
    }
}
