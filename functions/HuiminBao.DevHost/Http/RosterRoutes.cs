using HuiminBao.Http;
using HuiminBao.Roster;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace HuiminBao.DevHost.Http;

/// <summary>Ops routes for the roster import, as the Functions app's HTTP triggers serve them (function keys).</summary>
public static class RosterRoutes
{
    public static IEndpointRouteBuilder MapRosterRoutes(this IEndpointRouteBuilder app)
    {
        var maxUpload = app.ServiceProvider.GetRequiredService<IOptions<RosterImportOptions>>().Value.MaxUploadBytes;
        var imports = app.MapGroup(RosterImportView.RoutePrefix).RequireOpsKey();

        // A bureau roster runs to hundreds of MiB: this route alone lifts the host's 64 KiB body limit, and streams.
        imports.MapPost("", async (HttpRequest request, RosterUpload upload, CancellationToken cancellationToken) =>
            (await upload.AcceptAsync(request.ToRosterUpload(), cancellationToken)).ToAcceptedResult())
            .WithMetadata(new RequestSizeLimitAttribute(maxUpload))
            .WithName("UploadRoster");

        imports.MapGet("", async (RosterImportStatusQuery query, CancellationToken cancellationToken) =>
            (await query.RecentAsync(cancellationToken)).ToResult())
            .WithName("ListRosterImports");

        imports.MapGet("/{id}", async (string id, RosterImportStatusQuery query, CancellationToken cancellationToken) =>
            (await query.GetAsync(id, cancellationToken)).ToResult())
            .WithName("GetRosterImport");

        return app;
    }
}
