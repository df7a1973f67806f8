using HuiminBao.Domain;

namespace HuiminBao.Enrollment.Eligibility;

/// <summary>
/// Whether a person has active basic medical insurance (职工医保 or 城乡居民医保) in the city. Two
/// implementations: the roster ops import from the 医保 bureau, and the bureau's HTTP service where a
/// city offers one. A transient failure throws <see cref="InsuranceLookupUnavailableException"/> so the
/// sign-up's message is delivered again later; a definite answer is returned.
/// </summary>
public interface IInsuranceLookup
{
    /// <summary>The HTTP service is asked by ID number; the roster only needs the person key.</summary>
    bool NeedsIdNumber { get; }

    Task<InsuranceStatus> LookupAsync(PersonToCheck person, CancellationToken cancellationToken);
}

/// <param name="PersonKey">HMAC of the normalised ID number (<see cref="Security.KeyedHashes.PersonKey"/>).</param>
/// <param name="IdNumber">The normalised ID number; only supplied when <see cref="IInsuranceLookup.NeedsIdNumber"/>.</param>
public sealed record PersonToCheck(string PersonKey, string? IdNumber);

/// <summary>The answer for one person.</summary>
/// <param name="Found">False when the roster or service has no record of the person.</param>
/// <param name="Status">For a found person: <see cref="InsuranceStates"/>.</param>
/// <param name="Scheme">For a found person: <see cref="InsuranceSchemes"/>.</param>
/// <param name="District">The 6-digit district code the person is insured in.</param>
public sealed record InsuranceStatus(bool Found, string? Status, string? Scheme, string? District)
{
    public static readonly InsuranceStatus NotFound = new(false, null, null, null);

    public bool IsActive => Found && Status == InsuranceStates.Active;
}

/// <summary>The lookup could not answer now (service down, timeout, circuit open); retry the message later.</summary>
public sealed class InsuranceLookupUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
