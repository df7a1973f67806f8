using HuiminBao.Http;
using HuiminBao.Roster;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace HuiminBao.Functions.Roster;

public sealed class ListRosterImports(RosterImportStatusQuery query)
{
    [Function(nameof(ListRosterImports))]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.RosterImportsTemplate)] HttpRequest request,
        CancellationToken cancellationToken) =>
        (await query.RecentAsync(cancellationToken)).ToResult();
}
