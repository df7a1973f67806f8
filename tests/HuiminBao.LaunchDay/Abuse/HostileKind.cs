namespace HuiminBao.LaunchDay.Abuse;

/// <summary>What a hostile request is meant to probe, for reporting and for the answer it must get.</summary>
public enum HostileKind
{
    MalformedJson,
    TruncatedJson,
    WrongTypes,
    NumberEdgeCases,
    DuplicateKeys,
    HugeArray,
    HugeString,
    DeepNesting,
    InvalidUtf8,
    ControlAndBidi,
    ControlInEveryField,
    Injection,
    InjectionInEveryField,
    InjectionInPath,
    BadIdempotencyKey,
    WrongContentType,
    WrongMethod,
    ForgedToken,
    AlgNoneToken,
    ExpiredOrForeignToken,
    OtherUsersSignUp,
    ReplayedToken,
    OpsWithoutKey,
    RosterUploadWithoutKey,
    BadSession,

    /// <summary>
    /// Strangers' ID numbers under made-up names in otherwise valid sign-ups (<see cref="StrangerSignUps"/>):
    /// accepted by design, and judged by what they enroll (nobody) and what they tell (nothing).
    /// </summary>
    StrangersWithWrongNames,
}

/// <summary>One hostile request: built fresh for each send (a request message can be sent once).</summary>
public sealed record HostileRequest(HostileKind Kind, Func<HttpRequestMessage> Build);

/// <summary>A real-looking person in a hostile body, whose plaintext must appear nowhere afterwards.</summary>
public sealed record PlaintextPerson(string Name, string IdNumber, string Mobile)
{
    public IEnumerable<string> Secrets => [Name, IdNumber, Mobile];
}
