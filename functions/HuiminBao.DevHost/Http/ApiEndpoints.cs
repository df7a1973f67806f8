using HuiminBao.Audit;
using HuiminBao.Dashboard;
using HuiminBao.DevHost.OpenApi;
using HuiminBao.Health;
using HuiminBao.Http;
using HuiminBao.Intake;
using HuiminBao.Privacy;
using HuiminBao.Reviews;
using HuiminBao.Roster;
using HuiminBao.SignUps;
using HuiminBao.Tallies;

namespace HuiminBao.DevHost.Http;

/// <summary>
/// Every route of <see cref="ApiRoutes"/>, bound the way its Functions trigger binds it: each
/// endpoint reads its inputs, calls one handler from shared and maps the outcome. The route's
/// verb, path and access come from the table, which also travels as endpoint metadata for the
/// request policy; its contract (<see cref="ApiContracts"/>) travels too, for the OpenAPI document.
/// </summary>
public static class ApiEndpoints
{
    public static IEndpointRouteBuilder MapApi(this IEndpointRouteBuilder app)
    {
        app.Map(ApiRoutes.CreateSession, async (HttpRequest request, SessionExchange sessions, CancellationToken cancellationToken) =>
            (await sessions.ExchangeAsync(request.ContentType, request.Body, cancellationToken)).ToResult());

        app.Map(ApiRoutes.SubmitSignUp, async (HttpRequest request, SignUpIntake intake, CancellationToken cancellationToken) =>
            (await intake.SubmitAsync(request.ToSignUpSubmission(), cancellationToken)).ToResult());

        app.Map(ApiRoutes.GetSignUp, async (string id, HttpRequest request, SignUpStatusQuery query, CancellationToken cancellationToken) =>
            (await query.GetAsync(request.Authorization(), id, cancellationToken)).ToResult());

        app.Map(ApiRoutes.GetTallies, async (HttpRequest request, TallyQuery tallies, CancellationToken cancellationToken) =>
            (await tallies.GetAsync(request.Query["from"], request.Query["to"], request.Query["planYear"], cancellationToken)).ToResult(request));

        app.Map(ApiRoutes.OpenDashboard, (HttpContext context, OpsConsoleSessions sessions) => ConsoleEntry.Open(context, sessions));

        app.Map(ApiRoutes.Console, (string? asset, DashboardPage dashboard) => dashboard.Get(asset).ToResult());

        app.Map(ApiRoutes.ConsoleTallies, async (HttpRequest request, TallyQuery tallies, CancellationToken cancellationToken) =>
            (await tallies.GetAsync(request.Query["from"], request.Query["to"], request.Query["planYear"], cancellationToken)).ToResult(request));

        app.Map(ApiRoutes.GetHealth, async (HealthQuery health, CancellationToken cancellationToken) => (await health.GetAsync(cancellationToken)).ToResult());

        app.Map(ApiRoutes.ConsoleHealth, async (HealthQuery health, CancellationToken cancellationToken) => (await health.GetAsync(cancellationToken)).ToResult());

        app.Map(ApiRoutes.GetAudit, async (HttpRequest request, AuditQuery audit, CancellationToken cancellationToken) =>
            (await audit.GetAsync(request.Query["from"], request.Query["to"], cancellationToken)).ToResult());

        app.Map(ApiRoutes.ListReviews, async (PoisonedSignUps reviews, CancellationToken cancellationToken) =>
            (await reviews.ListAsync(cancellationToken)).ToResult());

        app.Map(ApiRoutes.RequeueReview, async (string id, PoisonedSignUps reviews, CancellationToken cancellationToken) =>
            (await reviews.RequeueAsync(id, cancellationToken)).ToResult());

        app.Map(ApiRoutes.UploadRoster, async (HttpRequest request, RosterUpload upload, CancellationToken cancellationToken) =>
            (await upload.AcceptAsync(request.ToRosterUpload(), cancellationToken)).ToAcceptedResult());

        app.Map(ApiRoutes.ListRosterImports, async (RosterImportStatusQuery query, CancellationToken cancellationToken) =>
            (await query.RecentAsync(cancellationToken)).ToResult());

        app.Map(ApiRoutes.GetRosterImport, async (string id, RosterImportStatusQuery query, CancellationToken cancellationToken) =>
            (await query.GetAsync(id, cancellationToken)).ToResult());

        app.Map(ApiRoutes.CreateRosterDrop, async (RosterDrops drops, CancellationToken cancellationToken) =>
            (await drops.CreateAsync(cancellationToken)).ToResult());

        app.Map(ApiRoutes.ImportRosterDrop, async (string id, HttpRequest request, RosterDrops drops, CancellationToken cancellationToken) =>
            (await drops.ImportAsync(id, request.Query["asOf"], cancellationToken)).ToAcceptedResult());

        app.Map(ApiRoutes.GetOpenApi, () => ApiDocument.ToResult());

        app.Map(ApiRoutes.EraseSignUp, async (string id, HttpContext context, SignUpErasure erasure, CancellationToken cancellationToken) =>
            (await erasure.EraseAsync(id, context.GetOpsCaller()?.Name, cancellationToken)).ToResult());

        app.Map(ApiRoutes.ResealPersonalData, async (HttpContext context, DataKeyReseal reseal, CancellationToken cancellationToken) =>
            (await reseal.RunAsync(context.Request.Query["continuation"], context.Request.Query["limit"], context.GetOpsCaller()?.Name, cancellationToken)).ToResult());

        return app;
    }

    private static void Map(this IEndpointRouteBuilder app, ApiRoute route, Delegate handler) =>
        app.MapMethods(route.Pattern, [route.Method], handler).WithName(route.Name).WithMetadata(route).WithContract(route);
}
