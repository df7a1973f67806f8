using HuiminBao.Dashboard;
using Microsoft.AspNetCore.Http;

namespace HuiminBao.Http;

/// <summary>A dashboard file or download, with its caching and security headers; answers 304 to a matching If-None-Match.</summary>
internal sealed class AssetResult(StaticAsset asset, string? downloadName) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => StatusCodes.Status200OK;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        var headers = response.Headers;
        headers.CacheControl = asset.CacheControl;
        headers.XContentTypeOptions = "nosniff";
        // Nothing here should travel on as a Referer, least of all to another site.
        headers["Referrer-Policy"] = "no-referrer";
        if (asset.ContentSecurityPolicy is { } policy)
            headers.ContentSecurityPolicy = policy;
        if (downloadName is not null)
            headers.ContentDisposition = $"attachment; filename=\"{downloadName}\"";
        if (asset.ETag.Length > 0)
        {
            headers.ETag = asset.ETag;
            if (httpContext.Request.Headers.IfNoneMatch.Contains(asset.ETag))
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }
        }
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = asset.ContentType;
        response.ContentLength = asset.Content.Length;
        await response.Body.WriteAsync(asset.Content, httpContext.RequestAborted);
    }
}
