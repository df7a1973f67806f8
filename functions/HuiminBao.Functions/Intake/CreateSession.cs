using HuiminBao.Http;
using HuiminBao.Intake;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace HuiminBao.Functions.Intake;

public sealed class CreateSession(SessionExchange sessions)
{
    [Function(nameof(CreateSession))]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.SessionsTemplate)] HttpRequest request,
        CancellationToken cancellationToken) =>
        (await sessions.ExchangeAsync(request.ContentType, request.Body, cancellationToken)).ToResult();
}
