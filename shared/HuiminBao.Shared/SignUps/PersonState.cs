using System.Text.Json;

namespace HuiminBao.SignUps;

/// <summary>One insured person's place in a sign-up; no personal data, only the keyed hash.</summary>
public sealed record PersonState(string PersonKey, string Relation, string Outcome, string? Reason = null);

/// <summary>The <see cref="SignUpRecord.Persons"/> column: a JSON array of <see cref="PersonState"/>.</summary>
public static class PersonStates
{
    public static string Write(IReadOnlyList<PersonState> persons) => JsonSerializer.Serialize(persons as List<PersonState> ?? [.. persons], SignUpJson.Default.ListPersonState);

    public static List<PersonState> Read(string json) => JsonSerializer.Deserialize(json, SignUpJson.Default.ListPersonState) ?? [];
}
