using HuiminBao.Http;
using HuiminBao.Roster;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace HuiminBao.Functions.Roster;

public sealed class GetRosterImport(RosterImportStatusQuery query)
{
    [Function(nameof(GetRosterImport))]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.RosterImportTemplate)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        (await query.GetAsync(id, cancellationToken)).ToResult();
}
