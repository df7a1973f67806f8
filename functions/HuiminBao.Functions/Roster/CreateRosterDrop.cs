using HuiminBao.Http;
using HuiminBao.Roster;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace HuiminBao.Functions.Roster;

public sealed class CreateRosterDrop(RosterDrops drops)
{
    [Function(nameof(CreateRosterDrop))]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.RosterDropsTemplate)] HttpRequest request,
        CancellationToken cancellationToken) =>
        (await drops.CreateAsync(cancellationToken)).ToResult();
}
