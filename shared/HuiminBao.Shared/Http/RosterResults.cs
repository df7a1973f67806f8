using HuiminBao.Domain;
using HuiminBao.Roster;
using Microsoft.AspNetCore.Http;

namespace HuiminBao.Http;

/// <summary>How the roster routes' outcomes read over HTTP, the same in both hosts.</summary>
public static class RosterResults
{
    /// <summary>202 with the import's status and <c>Location</c> to poll.</summary>
    public static IResult ToAcceptedResult(this Outcome<RosterImportView> outcome) =>
        outcome.Problem?.ToResult() ?? new AcceptedJsonResult<RosterImportView>(outcome.Value!, RosterJson.Web.RosterImportView, outcome.Value!.Location);

    public static IResult ToResult(this Outcome<RosterImportView> outcome) =>
        outcome.Problem?.ToResult() ?? Results.Json(outcome.Value!, RosterJson.Web.RosterImportView);

    public static IResult ToResult(this Outcome<RosterDropView> outcome) =>
        outcome.Problem?.ToResult() ?? Results.Json(outcome.Value!, RosterJson.Web.RosterDropView);

    public static IResult ToResult(this Outcome<List<RosterImportView>> outcome) =>
        outcome.Problem?.ToResult() ?? Results.Json(outcome.Value!, RosterJson.Web.ListRosterImportView);
}
