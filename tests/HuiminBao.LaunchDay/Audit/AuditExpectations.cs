namespace HuiminBao.LaunchDay.Audit;

/// <summary>What a run meant to happen, beyond the promises every run must keep.</summary>
public sealed record AuditExpectations
{
    public static readonly AuditExpectations None = new();

    /// <summary>Sign-ups the run meant to poison: they may (and should) end <c>needs-review</c>.</summary>
    public IReadOnlySet<string> NeedsReview { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Sign-ups whose notification the run meant to fail or skip (poisoned, refused, not subscribed).</summary>
    public IReadOnlySet<string> NotificationNotSent { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// Person key → the outcome that person must end with, when the run knows it (who is insured on
    /// the roster or the 医保 stand-in). Catches people lost to a wrong <c>already-enrolled</c> or
    /// <c>not-insured</c>, which the structural checks alone would accept.
    /// </summary>
    public IReadOnlyDictionary<string, string> Outcomes { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
