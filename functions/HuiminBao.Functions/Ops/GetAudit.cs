using HuiminBao.Audit;
using HuiminBao.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace HuiminBao.Functions.Ops;

public sealed class GetAudit(AuditQuery audit)
{
    [Function(nameof(GetAudit))]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.AuditTemplate)] HttpRequest request,
        CancellationToken cancellationToken) =>
        (await audit.GetAsync(request.Query["from"], request.Query["to"], cancellationToken)).ToResult();
}
