using HuiminBao.Intake;
using HuiminBao.Roster;
using Microsoft.AspNetCore.Http;

namespace HuiminBao.Http;

/// <summary>Reads handler inputs off an ASP.NET Core request, the same in the Functions app and the local host.</summary>
public static class HttpRequestInputs
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public static SignUpSubmission ToSignUpSubmission(this HttpRequest request) => new(
        request.Headers.Authorization.ToString(),
        request.Headers.TryGetValue(IdempotencyKeyHeader, out var key) ? key.ToString() : null,
        request.ContentType,
        request.Body);

    public static string? Authorization(this HttpRequest request) => request.Headers.Authorization.ToString();

    public static RosterUploadRequest ToRosterUpload(this HttpRequest request) =>
        new(request.ContentType, request.Body, request.Query["asOf"].ToString() is { Length: > 0 } asOf ? asOf : null);
}
