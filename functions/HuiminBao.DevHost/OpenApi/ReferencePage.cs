using HuiminBao.Http;
using Scalar.AspNetCore;

namespace HuiminBao.DevHost.OpenApi;

/// <summary>
/// The API reference rendered from <c>/api/openapi.json</c> at <c>/scalar</c> (local host only,
/// outside <c>/api</c> like the other local-only pages). Scalar serves its script from its own
/// assembly; what it would fetch from the internet by default (fonts, telemetry, its AI agent and
/// MCP integration, the toolbar of links to its cloud) is off, so the page works with no network,
/// and a browser test checks it makes no request off the host.
/// </summary>
public static class ReferencePage
{
    public const string Path = "/scalar";

    public static IEndpointRouteBuilder MapReferencePage(this IEndpointRouteBuilder app)
    {
        app.MapScalarApiReference(Path, options => options
            .WithTitle("惠民保接口参考")
            .WithOpenApiRoutePattern(ApiRoutes.GetOpenApi.Pattern)
            .DisableDefaultFonts()
            .DisableTelemetry()
            .DisableAgent()
            .DisableMcp()
            .HideDeveloperTools()
            .WithDirectDocumentDownload()
            .ExpandAllTags());
        return app;
    }
}
