using HuiminBao.Domain;
using HuiminBao.Intake;
using HuiminBao.SignUps;
using Microsoft.AspNetCore.Http;

namespace HuiminBao.Http;

/// <summary>How each handler's outcome reads over HTTP; both hosts map through here so they answer alike.</summary>
public static class OutcomeResults
{
    public static IResult ToResult(this Outcome<SignUpAccepted> outcome) =>
        outcome.Problem?.ToResult() ?? new AcceptedJsonResult<SignUpAccepted>(outcome.Value!, HttpJson.Web.SignUpAccepted, outcome.Value!.Location, outcome.Value!.Replayed);

    public static IResult ToResult(this Outcome<SignUpView> outcome) =>
        outcome.Problem?.ToResult() ?? Results.Json(outcome.Value!, HttpJson.Web.SignUpView);

    public static IResult ToResult(this Outcome<SessionIssued> outcome) =>
        outcome.Problem?.ToResult() ?? Results.Json(outcome.Value!, HttpJson.Web.SessionIssued);

    public static IResult ToResult(this Outcome<Audit.AuditList> outcome) =>
        outcome.Problem?.ToResult() ?? Results.Json(outcome.Value!, HttpJson.Web.AuditList);

    public static IResult ToResult(this Outcome<Reviews.ReviewList> outcome) =>
        outcome.Problem?.ToResult() ?? Results.Json(outcome.Value!, HttpJson.Web.ReviewList);

    public static IResult ToResult(this Outcome<Reviews.Requeued> outcome) =>
        outcome.Problem?.ToResult() ?? Results.Json(outcome.Value!, HttpJson.Web.Requeued, statusCode: StatusCodes.Status202Accepted);

    /// <summary>204 for an erased sign-up, every time it is asked.</summary>
    public static IResult ToResult(this Outcome<Privacy.ErasedSignUp> outcome) =>
        outcome.Problem?.ToResult() ?? Results.NoContent();

    public static IResult ToResult(this Outcome<Privacy.ResealProgress> outcome) =>
        outcome.Problem?.ToResult() ?? Results.Json(outcome.Value!, HttpJson.Web.ResealProgress);
}
