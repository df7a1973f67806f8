namespace HuiminBao.LaunchDay.Abuse;

/// <summary>What the strangers' sign-ups (<see cref="StrangerSignUps"/>) did, and whether that is nothing.</summary>
/// <param name="Answers">"outcome: reason" as the status route showed each stranger to the attacker, with counts.</param>
/// <param name="RealPeople">Insured people a stranger's sign-up named, who then signed up themselves.</param>
/// <param name="RealPeopleEnrolled">Of those, enrolled under their own name.</param>
public sealed record StrangerRunResult(
    int Submitted,
    int Accepted,
    int Persons,
    int EnrolledByStrangers,
    IReadOnlyDictionary<string, int> Answers,
    IReadOnlyDictionary<string, int> Statuses,
    int RealPeople,
    int RealPeopleEnrolled)
{
    /// <summary>The made-up names put to strangers' ID numbers: plaintext the scan must not find either.</summary>
    public IReadOnlyList<string> WrongNames { get; init; } = [];

    public bool Passed => Accepted == Submitted && Submitted > 0 && EnrolledByStrangers == 0 && Answers.Count == 1
        && Answers.Keys.Single().StartsWith("identity-mismatch:", StringComparison.Ordinal) && RealPeopleEnrolled == RealPeople;

    public string Summary() =>
        $"strangers' ID numbers under wrong names: {Accepted:N0}/{Submitted:N0} sign-ups accepted naming {Persons:N0} strangers, enrolled by them {EnrolledByStrangers}; " +
        $"statuses {string.Join(", ", Statuses.Select(s => $"{s.Key} ×{s.Value}"))}; {Answers.Count} distinct answer(s) about strangers " +
        $"({string.Join(" | ", Answers.Select(a => $"{a.Key} ×{a.Value}"))}); then {RealPeopleEnrolled}/{RealPeople} of the real people enrolled under their own names";
}
