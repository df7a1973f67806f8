using HuiminBao.Intake;
using HuiminBao.SignUps;
using Microsoft.AspNetCore.Http;

namespace HuiminBao.Http;

/// <summary>How each handler's outcome reads over HTTP; both hosts map through here so they answer alike.</summary>
public static class OutcomeResults
{
    public static IResult ToResult(this Outcome<SignUpAccepted> outcome) =>
        outcome.Problem?.ToResult() ?? new AcceptedResult(outcome.Value!);

    public static IResult ToResult(this Outcome<SignUpView> outcome) =>
        outcome.Problem?.ToResult() ?? Results.Json(outcome.Value!, HttpJson.Web.SignUpView);

    public static IResult ToResult(this Outcome<SessionIssued> outcome) =>
        outcome.Problem?.ToResult() ?? Results.Json(outcome.Value!, HttpJson.Web.SessionIssued);

    public static IResult ToResult(this Outcome<Reviews.ReviewList> outcome) =>
        outcome.Problem?.ToResult() ?? Results.Json(outcome.Value!, HttpJson.Web.ReviewList);

    public static IResult ToResult(this Outcome<Reviews.Requeued> outcome) =>
        outcome.Problem?.ToResult() ?? Results.Json(outcome.Value!, HttpJson.Web.Requeued, statusCode: StatusCodes.Status202Accepted);

    private sealed class AcceptedResult(SignUpAccepted accepted) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => StatusCodes.Status202Accepted;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.Location = accepted.Location;
            if (accepted.Replayed)
                httpContext.Response.Headers["Idempotent-Replayed"] = "true";
            return Results.Json(accepted, HttpJson.Web.SignUpAccepted, statusCode: StatusCodes.Status202Accepted).ExecuteAsync(httpContext);
        }
    }
}
