using HuiminBao.Http;
using HuiminBao.Roster;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace HuiminBao.Functions.Roster;

public sealed class ImportRosterDrop(RosterDrops drops)
{
    [Function(nameof(ImportRosterDrop))]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.RosterDropImportTemplate)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        (await drops.ImportAsync(id, request.Query["asOf"], cancellationToken)).ToAcceptedResult();
}
