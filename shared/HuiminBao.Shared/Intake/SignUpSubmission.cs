namespace HuiminBao.Intake;

/// <summary>What a host hands to <see cref="SignUpIntake"/> from a <c>POST /api/signups</c> request.</summary>
public sealed record SignUpSubmission(string? Authorization, string? IdempotencyKey, string? ContentType, Stream Body);
