using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace HuiminBao.Http;

/// <summary><c>202 Accepted</c> with a JSON body, <c>Location</c> to poll and, for a replay, <c>Idempotent-Replayed: true</c>.</summary>
public sealed class AcceptedJsonResult<T>(T value, JsonTypeInfo<T> json, string location, bool replayed = false) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => StatusCodes.Status202Accepted;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.Headers.Location = location;
        if (replayed)
            httpContext.Response.Headers["Idempotent-Replayed"] = "true";
        return Results.Json(value, json, statusCode: StatusCodes.Status202Accepted).ExecuteAsync(httpContext);
    }
}
