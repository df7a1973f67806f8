namespace HuiminBao.Domain;

/// <summary>A sign-up that passed every rule; its strings are normalised.</summary>
/// <param name="Consent">The privacy-notice version the applicant accepted, one of <see cref="PrivacyOptions.Versions"/>.</param>
public sealed record ValidSignUp(int PlanYear, Applicant Applicant, IReadOnlyList<InsuredPerson> Insured, string Consent);

public sealed record Applicant(string Name, string IdNumber, string Mobile);

public sealed record InsuredPerson(string Name, string IdNumber, Relation Relation);

/// <summary>Sign-up statuses, as the HTTP contract spells them.</summary>
public static class SignUpStatus
{
    public const string Pending = "pending";
    public const string Enrolled = "enrolled";
    public const string PartiallyEnrolled = "partially-enrolled";
    public const string Rejected = "rejected";
    public const string NeedsReview = "needs-review";

    /// <summary>Its personal data was erased (ops on request, or retention); the owner's status query answers 410.</summary>
    public const string Erased = "erased";
}

/// <summary>Per-person outcomes, as the HTTP contract spells them.</summary>
public static class PersonOutcome
{
    public const string Pending = "pending";
    public const string Enrolled = "enrolled";
    public const string AlreadyEnrolled = "already-enrolled";
    public const string NotInsured = "not-insured";

    /// <summary>The name given is not the name on the basic-insurance record of that ID number (real-name check, 二要素).</summary>
    public const string IdentityMismatch = "identity-mismatch";
    public const string NeedsReview = "needs-review";
}
