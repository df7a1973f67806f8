using HuiminBao.Http;
using HuiminBao.Intake;
using HuiminBao.SignUps;

namespace HuiminBao.DevHost.Http;

/// <summary>The mini-program's routes, as the Functions app's HTTP triggers serve them.</summary>
public static class IntakeRoutes
{
    public static IEndpointRouteBuilder MapIntakeRoutes(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithMetadata(new MiniProgramRoute());

        api.MapPost("/sessions", async (HttpRequest request, SessionExchange sessions, CancellationToken cancellationToken) =>
            (await sessions.ExchangeAsync(request.ContentType, request.Body, cancellationToken)).ToResult())
            .WithName("CreateSession");

        api.MapPost("/signups", async (HttpRequest request, SignUpIntake intake, CancellationToken cancellationToken) =>
            (await intake.SubmitAsync(request.ToSignUpSubmission(), cancellationToken)).ToResult())
            .WithName("SubmitSignUp");

        api.MapGet("/signups/{id}", async (string id, HttpRequest request, SignUpStatusQuery query, CancellationToken cancellationToken) =>
            (await query.GetAsync(request.Authorization(), id, cancellationToken)).ToResult())
            .WithName("GetSignUp");

        return app;
    }
}
