using System.ComponentModel.DataAnnotations;

namespace HuiminBao.Domain;

/// <summary>
/// The privacy notice and personal-data authorization (个人信息授权书) the mini-program shows
/// (<c>Privacy:*</c>). A sign-up names the version its applicant accepted; only configured versions
/// are taken, so an app built against a withdrawn notice is sent back to show the current one.
/// </summary>
public sealed class PrivacyOptions : IValidatableObject
{
    public const string Section = "Privacy";
    public const string ConsentVersionsSetting = "Privacy:ConsentVersions";
    public const int MaxVersionLength = 32;

    /// <summary>Comma-separated versions a sign-up's <c>consent</c> may name, e.g. <c>2026-01</c>.</summary>
    public string? ConsentVersions { get; set; }

    public IReadOnlySet<string> Versions => Split(ConsentVersions);

    public static IReadOnlySet<string> Split(string? value) =>
        (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);

    public static bool IsWellFormed(string version) =>
        version.Length is > 0 and <= MaxVersionLength && version.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var versions = Versions;
        // Without a version every sign-up would be refused: a misconfiguration to stop at start, not on launch day.
        if (versions.Count == 0)
            yield return new ValidationResult($"{ConsentVersionsSetting} must name at least one privacy-notice version (comma-separated, e.g. 2026-01).", [nameof(ConsentVersions)]);
        foreach (var version in versions.Where(v => !IsWellFormed(v)))
            yield return new ValidationResult($"{ConsentVersionsSetting}: '{version}' is not a version name (1-{MaxVersionLength} of A-Z a-z 0-9 - _ .).", [nameof(ConsentVersions)]);
    }
}
