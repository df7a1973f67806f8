using HuiminBao.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace HuiminBao.Functions.Docs;

public sealed class GetOpenApi
{
    [Function(nameof(GetOpenApi))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.OpenApiTemplate)] HttpRequest request) =>
        ApiDocument.ToResult();
}
