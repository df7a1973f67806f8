using HuiminBao.Domain;

namespace HuiminBao.Enrollment.Eligibility;

/// <summary>
/// Whether a person, named as the sign-up names them, has active basic medical insurance (职工医保 or
/// 城乡居民医保) in the city: the real-name check (二要素, name + ID number) comes first, and a record
/// under another name answers nothing else about itself. Two implementations: the roster ops import
/// from the 医保 bureau, and the bureau's HTTP service where a city offers one. A transient failure
/// throws <see cref="InsuranceLookupUnavailableException"/> so the sign-up's message is delivered
/// again later; a definite answer is returned.
/// </summary>
public interface IInsuranceLookup
{
    /// <summary>The HTTP service is asked by ID number and name; the roster only needs the keyed hashes.</summary>
    bool NeedsIdentity { get; }

    Task<InsuranceStatus> LookupAsync(PersonToCheck person, CancellationToken cancellationToken);
}

/// <param name="PersonKey">HMAC of the normalised ID number (<see cref="Security.KeyedHashes.PersonKey"/>).</param>
/// <param name="NameKey">The name given, bound to the ID number (<see cref="Security.KeyedHashes.NameKey"/>).</param>
/// <param name="IdNumber">The normalised ID number; only supplied when <see cref="IInsuranceLookup.NeedsIdentity"/>.</param>
/// <param name="Name">The name as given; only supplied when <see cref="IInsuranceLookup.NeedsIdentity"/>.</param>
public sealed record PersonToCheck(string PersonKey, string NameKey, string? IdNumber = null, string? Name = null);

/// <summary>What the roster or service knows of a person.</summary>
public enum InsuranceFinding
{
    /// <summary>No record of the ID number.</summary>
    NotFound,

    /// <summary>A record of the ID number under another name. Nothing else about it is taken.</summary>
    NameMismatch,

    /// <summary>A record of the ID number under this name.</summary>
    Found,
}

/// <summary>The answer for one person.</summary>
/// <param name="Status">For a found person: <see cref="InsuranceStates"/>.</param>
/// <param name="Scheme">For a found person: <see cref="InsuranceSchemes"/>.</param>
/// <param name="District">The 6-digit district code the person is insured in.</param>
public sealed record InsuranceStatus(InsuranceFinding Finding, string? Status, string? Scheme, string? District)
{
    public static readonly InsuranceStatus NotFound = new(InsuranceFinding.NotFound, null, null, null);

    public static readonly InsuranceStatus NameMismatch = new(InsuranceFinding.NameMismatch, null, null, null);

    public static InsuranceStatus Insured(string status, string? scheme, string? district) => new(InsuranceFinding.Found, status, scheme, district);

    public bool IsActive => Finding == InsuranceFinding.Found && Status == InsuranceStates.Active;
}

/// <summary>The lookup could not answer now (service down, timeout, circuit open); retry the message later.</summary>
public sealed class InsuranceLookupUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The roster has the person but no name to compare with (imported before names were kept, or with
/// an earlier comparison form): deciding on the ID number alone would let anyone enroll anyone, so
/// the sign-up fails, is retried, and ends in review until ops re-import the roster.
/// </summary>
public sealed class RosterNameMissingException(string message) : Exception(message);
