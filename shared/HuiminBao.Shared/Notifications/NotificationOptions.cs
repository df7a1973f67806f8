using System.ComponentModel.DataAnnotations;

namespace HuiminBao.Notifications;

/// <summary>
/// The applicant's subscribe message (<c>Notifications:*</c>). The template is chosen in the WeChat
/// console, so its id and its data keys (<c>phrase1</c>, <c>thing2</c>, ...) are configuration; a key's
/// type prefix decides how long its value may be.
/// </summary>
public sealed class NotificationOptions : IValidatableObject
{
    public const string Section = "Notifications";

    /// <summary>Stands for the sign-up id in <see cref="Page"/>.</summary>
    public const string SignUpIdPlaceholder = "{signUpId}";

    [Required]
    public string TemplateId { get; set; } = "";

    /// <summary>Where tapping the message leads in the mini-program; <c>{signUpId}</c> is filled in.</summary>
    [Required, MaxLength(1024)]
    public string Page { get; set; } = "pages/signup/status?id=" + SignUpIdPlaceholder;

    /// <summary>Which build of the mini-program the page opens in: formal, trial or developer.</summary>
    [Required, RegularExpression("^(formal|trial|developer)$")]
    public string MiniProgramState { get; set; } = "formal";

    [Required, RegularExpression("^(zh_CN|en_US|zh_HK|zh_TW)$")]
    public string Lang { get; set; } = "zh_CN";

    public NotificationFieldKeys Fields { get; set; } = new();

    /// <summary>After WeChat's daily quota (45009) is reached, how long a notification waits before trying again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan QuotaRetryDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How many quota waits a notification gets before it is given up as failed (96 × 30 min ≈ two days).</summary>
    [Range(1, 10_000)]
    public int MaxQuotaDeferrals { get; set; } = 96;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Fields.Outcome))
            yield return new ValidationResult("Notifications:Fields:Outcome must name the template's outcome key (e.g. phrase1).", [nameof(Fields)]);
        foreach (var (field, key, allowed) in Fields.Declared())
        {
            if (key.Length == 0)
                continue;
            if (!SubscribeFieldType.TryParse(key, out var type))
                yield return new ValidationResult($"Notifications:Fields:{field} = '{key}' is not a WeChat template key (type prefix and number, e.g. thing2).", [nameof(Fields)]);
            else if (!allowed.Contains(type.Prefix, StringComparer.Ordinal))
                yield return new ValidationResult($"Notifications:Fields:{field} = '{key}': a {type.Prefix} field can't carry it; use one of {string.Join(", ", allowed)}.", [nameof(Fields)]);
        }
    }
}

/// <summary>
/// The template's data key for each thing the message says. Empty means the template has no such
/// field. Which types fit is fixed by what the value is (a year is no <c>phrase</c>).
/// </summary>
public sealed class NotificationFieldKeys
{
    /// <summary>参保成功 / 部分成功 / 未通过.</summary>
    public string Outcome { get; set; } = "";

    /// <summary>The insured persons' masked names.</summary>
    public string Insured { get; set; } = "";

    public string PlanYear { get; set; } = "";

    /// <summary>The reason someone was not enrolled, or where to see details.</summary>
    public string Remark { get; set; } = "";

    internal IEnumerable<(string Field, string Key, string[] AllowedTypes)> Declared() =>
    [
        (nameof(Outcome), Outcome.Trim(), ["phrase", "thing", "short_thing"]),
        (nameof(Insured), Insured.Trim(), ["thing", "name"]),
        (nameof(PlanYear), PlanYear.Trim(), ["character_string", "number", "thing"]),
        (nameof(Remark), Remark.Trim(), ["thing"]),
    ];
}
