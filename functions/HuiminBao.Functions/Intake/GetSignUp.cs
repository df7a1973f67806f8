using HuiminBao.Http;
using HuiminBao.SignUps;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace HuiminBao.Functions.Intake;

public sealed class GetSignUp(SignUpStatusQuery query)
{
    [Function(nameof(GetSignUp))]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.SignUpTemplate)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        (await query.GetAsync(request.Authorization(), id, cancellationToken)).ToResult();
}
