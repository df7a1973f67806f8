using System.Text.Json;
using HuiminBao.Domain;

namespace HuiminBao.Intake;

/// <summary>
/// The sign-up's <c>consent</c>: the version of the privacy notice and personal-data authorization
/// the applicant accepted. Without it nothing may be stored, so it is checked with the other fields
/// and a missing or unknown version is a field error like any other.
/// </summary>
public static class ConsentField
{
    public const string Name = "consent";

    /// <summary>PIPL art. 31: personal data of a child under 14 needs a parent's or guardian's consent.</summary>
    public const int GuardianConsentBelowAge = 14;

    public static string? Read(JsonElement root, IReadOnlySet<string> versions, List<FieldError> errors)
    {
        if (!root.TryGetProperty(Name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            errors.Add(FieldError.Of(Name, ErrorCodes.ConsentRequired));
            return null;
        }
        if (element.ValueKind != JsonValueKind.String)
        {
            errors.Add(FieldError.Of(Name, ErrorCodes.WrongType));
            return null;
        }
        var version = element.GetString()!.Trim();
        if (version.Length == 0)
        {
            errors.Add(FieldError.Of(Name, ErrorCodes.ConsentRequired));
            return null;
        }
        if (!versions.Contains(version))
        {
            errors.Add(FieldError.Of(Name, ErrorCodes.ConsentVersionUnknown));
            return null;
        }
        return version;
    }

    /// <summary>
    /// Insured persons the applicant consents for as their guardian: under 14 on <paramref name="today"/>.
    /// Recorded with the consent, so it shows whose data rests on a guardian's authorization.
    /// </summary>
    public static int MinorsIn(ValidSignUp signUp, DateOnly today) =>
        signUp.Insured.Count(p => IdNumber.TryBirthDate(p.IdNumber, out var birth) && birth.AddYears(GuardianConsentBelowAge) > today);
}
