namespace HuiminBao.SignUps;

/// <summary>
/// One sign-up on the <c>signups</c> queue. It carries person keys, name keys and masked names,
/// never a plaintext name, ID number or mobile, so a queue dump reveals nobody.
/// </summary>
public sealed record SignUpQueued(
    string SignUpId,
    string OpenId,
    int PlanYear,
    DateTimeOffset AcceptedAt,
    IReadOnlyList<QueuedPerson> Persons);

/// <param name="NameKey">
/// The name given, bound to the ID number (<see cref="Security.KeyedHashes.NameKey"/>), so the roster's
/// real-name check needs no sealed record opened. Null in messages queued before names were
/// compared; validation then computes it from the sealed record.
/// </param>
public sealed record QueuedPerson(string PersonKey, string Relation, string MaskedName, string? NameKey = null);

/// <summary>
/// The <c>signups</c> queue message: the sign-ups intake accepted at about the same moment
/// (<see cref="SignUpSends"/>), one or more, each handled on its own.
/// </summary>
public sealed record SignUpBatch(IReadOnlyList<SignUpQueued> SignUps)
{
    public static SignUpBatch Of(SignUpQueued signUp) => new([signUp]);
}
