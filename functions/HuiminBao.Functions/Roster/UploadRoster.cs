using HuiminBao.Http;
using HuiminBao.Roster;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace HuiminBao.Functions.Roster;

public sealed class UploadRoster(RosterUpload upload)
{
    [Function(nameof(UploadRoster))]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.RosterImportsTemplate)] HttpRequest request,
        CancellationToken cancellationToken) =>
        (await upload.AcceptAsync(request.ToRosterUpload(), cancellationToken)).ToAcceptedResult();
}
