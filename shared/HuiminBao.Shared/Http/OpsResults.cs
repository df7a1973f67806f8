using System.Text;
using HuiminBao.Dashboard;
using HuiminBao.Domain;
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

    /// <summary>Never cached by a browser: it is a reading of now.</summary>
    public static IResult ToResult(this Health.PipelineHealth health) => new NoStoreResult(Results.Json(health, HttpJson.Web.PipelineHealth));

    public static IResult ToResult(this Outcome<StaticAsset> outcome) =>
        outcome.Problem?.ToResult() ?? new AssetResult(outcome.Value!, null);

    private sealed class NoStoreResult(IResult inner) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.CacheControl = "no-store";
            return inner.ExecuteAsync(httpContext);
        }
    }
}
