using System.Text.Json;
using HuiminBao.Domain;
using Microsoft.AspNetCore.Http;

namespace HuiminBao.Http;

/// <summary>Writes <see cref="ApiProblem"/> as <c>application/problem+json</c>; both hosts answer errors through here.</summary>
public static class ProblemResults
{
    public const string ContentType = "application/problem+json";

    public static IResult ToResult(this ApiProblem problem) => new ProblemResult(problem);

    public static Task WriteAsync(HttpContext context, ApiProblem problem) => new ProblemResult(problem).ExecuteAsync(context);

    public static ProblemBody ToBody(ApiProblem problem, string? traceId) => new(
        $"urn:problem:huiminbao:{problem.Code}",
        problem.Title,
        problem.Status,
        problem.Detail,
        problem.Code,
        problem.Errors,
        traceId);

    private sealed class ProblemResult(ApiProblem problem) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => problem.Status;

        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = problem.Status;
            response.ContentType = ContentType + "; charset=utf-8";
            if (problem.RetryAfter is { } retry)
                response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await JsonSerializer.SerializeAsync(response.Body, ToBody(problem, httpContext.TraceIdentifier), HttpJson.Web.ProblemBody, httpContext.RequestAborted);
        }
    }
}

public sealed record ProblemBody(
    string Type,
    string Title,
    int Status,
    string Detail,
    string Code,
    IReadOnlyList<FieldError>? Errors,
    string? TraceId);
