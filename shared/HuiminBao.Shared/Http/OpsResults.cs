using System.Text;
using HuiminBao.Dashboard;
using HuiminBao.Tallies;
using Microsoft.AspNetCore.Http;

namespace HuiminBao.Http;

/// <summary>How the tally and dashboard handlers' outcomes read over HTTP, in both hosts.</summary>
public static class OpsResults
{
    /// <summary>JSON, or CSV when the caller asks for it (<see cref="TallyCsv.Preferred"/>).</summary>
    public static IResult ToResult(this Outcome<TallyReport> outcome, HttpRequest request)
    {
        if (outcome.Problem is { } problem)
            return problem.ToResult();
        var report = outcome.Value!;
        if (!TallyCsv.Preferred(request.Query["format"], request.Headers.Accept))
            return Results.Json(report, HttpJson.Web.TallyReport);
        var file = FormattableString.Invariant($"tallies-{report.PlanYear}-{report.From:yyyyMMdd}-{report.To:yyyyMMdd}.csv");
        return new AssetResult(new StaticAsset(TallyCsv.ContentType + "; charset=utf-8", Encoding.UTF8.GetBytes(TallyCsv.Write(report)), "", "no-store"), file);
    }

    public static IResult ToResult(this Outcome<StaticAsset> outcome) =>
        outcome.Problem?.ToResult() ?? new AssetResult(outcome.Value!, null);

    private sealed class AssetResult(StaticAsset asset, string? downloadName) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => StatusCodes.Status200OK;

        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            var headers = response.Headers;
            headers.CacheControl = asset.CacheControl;
            headers.XContentTypeOptions = "nosniff";
            // The ops key may be in this page's URL; never send it on as a Referer.
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
}
