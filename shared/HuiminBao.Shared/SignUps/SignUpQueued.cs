namespace HuiminBao.SignUps;

/// <summary>
/// The <c>signups</c> queue message. It carries person keys and masked names, never a plaintext
/// name, ID number or mobile, so a queue dump reveals nobody.
/// </summary>
public sealed record SignUpQueued(
    string SignUpId,
    string OpenId,
    int PlanYear,
    DateTimeOffset AcceptedAt,
    IReadOnlyList<QueuedPerson> Persons);

public sealed record QueuedPerson(string PersonKey, string Relation, string MaskedName);
