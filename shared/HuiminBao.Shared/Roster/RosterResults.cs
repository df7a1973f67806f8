using HuiminBao.Http;
using Microsoft.AspNetCore.Http;

namespace HuiminBao.Roster;

/// <summary>How the roster routes' outcomes read over HTTP, the same in both hosts.</summary>
public static class RosterResults
{
    /// <summary>202 with the import's status and <c>Location</c> to poll.</summary>
    public static IResult ToAcceptedResult(this Outcome<RosterImportView> outcome) =>
        outcome.Problem?.ToResult() ?? new AcceptedResult(outcome.Value!);

    public static IResult ToResult(this Outcome<RosterImportView> outcome) =>
        outcome.Problem?.ToResult() ?? Results.Json(outcome.Value!, RosterJson.Web.RosterImportView);

    public static IResult ToResult(this Outcome<List<RosterImportView>> outcome) =>
        outcome.Problem?.ToResult() ?? Results.Json(outcome.Value!, RosterJson.Web.ListRosterImportView);

    public static RosterUploadRequest ToRosterUpload(this HttpRequest request) =>
        new(request.ContentType, request.Body, request.Query["asOf"].ToString() is { Length: > 0 } asOf ? asOf : null);

    private sealed class AcceptedResult(RosterImportView view) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => StatusCodes.Status202Accepted;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.Location = view.Location;
            return Results.Json(view, RosterJson.Web.RosterImportView, statusCode: StatusCodes.Status202Accepted).ExecuteAsync(httpContext);
        }
    }
}
