using HuiminBao.Http;
using HuiminBao.Privacy;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace HuiminBao.Functions.Privacy;

public sealed class EraseSignUp(SignUpErasure erasure)
{
    [Function(nameof(EraseSignUp))]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = ApiRoutes.OpsSignUpTemplate)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        (await erasure.EraseAsync(id, request.HttpContext.GetOpsCaller()?.Name, cancellationToken)).ToResult();
}
