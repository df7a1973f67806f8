using HuiminBao.Http;
using HuiminBao.Intake;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace HuiminBao.Functions.Intake;

public sealed class SubmitSignUp(SignUpIntake intake)
{
    [Function(nameof(SubmitSignUp))]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.SignUpsTemplate)] HttpRequest request,
        CancellationToken cancellationToken) =>
        (await intake.SubmitAsync(request.ToSignUpSubmission(), cancellationToken)).ToResult();
}
