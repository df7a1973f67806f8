namespace HuiminBao.SignUps;

/// <summary>
/// One sign-up on the <c>signups</c> queue. It carries person keys and masked names, never a
/// plaintext name, ID number or mobile, so a queue dump reveals nobody.
/// </summary>
public sealed record SignUpQueued(
    string SignUpId,
    string OpenId,
    int PlanYear,
    DateTimeOffset AcceptedAt,
    IReadOnlyList<QueuedPerson> Persons);

public sealed record QueuedPerson(string PersonKey, string Relation, string MaskedName);

/// <summary>
/// The <c>signups</c> queue message: the sign-ups intake accepted at about the same moment
/// (<see cref="SignUpSends"/>), one or more, each handled on its own.
/// </summary>
public sealed record SignUpBatch(IReadOnlyList<SignUpQueued> SignUps)
{
    public static SignUpBatch Of(SignUpQueued signUp) => new([signUp]);
}
