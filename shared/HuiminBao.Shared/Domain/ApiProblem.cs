namespace HuiminBao.Domain;

/// <summary>An RFC 9457 problem: HTTP status, stable code, zh-CN text, and per-field errors for validation.</summary>
public sealed record ApiProblem(int Status, string Code, string Title, string Detail, IReadOnlyList<FieldError>? Errors = null)
{
    public TimeSpan? RetryAfter { get; init; }

    public static ApiProblem Of(int status, string code) => new(status, code, ErrorMessages.For(code), ErrorMessages.For(code));

    public static ApiProblem Validation(IReadOnlyList<FieldError> errors) =>
        new(400, ErrorCodes.ValidationFailed, ErrorMessages.For(ErrorCodes.ValidationFailed), string.Join("；", errors.Select(e => e.Message).Distinct()), errors);

    public static ApiProblem BadRequest(string code) => Of(400, code);

    public static ApiProblem Unauthorized(string code) => Of(401, code);

    public static ApiProblem NotFound() => Of(404, ErrorCodes.NotFound);

    /// <summary>410: the sign-up existed, and its personal data has been erased.</summary>
    public static ApiProblem Erased() => Of(410, ErrorCodes.Erased);

    public static ApiProblem TooLarge() => Of(413, ErrorCodes.BodyTooLarge);

    public static ApiProblem UnsupportedMediaType() => Of(415, ErrorCodes.UnsupportedMediaType);

    public static ApiProblem Unavailable(string code, TimeSpan retryAfter) => Of(503, code) with { RetryAfter = retryAfter };

    public static ApiProblem TooManyRequests(string code, TimeSpan retryAfter) => Of(429, code) with { RetryAfter = retryAfter };
}
