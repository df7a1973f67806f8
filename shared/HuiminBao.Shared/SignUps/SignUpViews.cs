using System.Text.Json.Serialization;

namespace HuiminBao.SignUps;

/// <summary>The 202 answer to a sign-up.</summary>
public sealed record SignUpAccepted(string SignUpId, string Status)
{
    /// <summary>True when this answer repeats an earlier acceptance (same Idempotency-Key or same body).</summary>
    [JsonIgnore]
    public bool Replayed { get; init; }

    [JsonIgnore]
    public string Location => $"/api/signups/{SignUpId}";
}

/// <summary>What the owner sees of a sign-up: masked names and ID numbers only.</summary>
public sealed record SignUpView(
    string SignUpId,
    string Status,
    int PlanYear,
    DateTimeOffset AcceptedAt,
    IReadOnlyList<InsuredView> Insured,
    string? Notification = null);

public sealed record InsuredView(string Name, string IdNumber, string Relation, string Outcome, string? Reason);
