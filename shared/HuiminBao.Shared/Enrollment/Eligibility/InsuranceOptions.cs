using System.ComponentModel.DataAnnotations;

namespace HuiminBao.Enrollment.Eligibility;

/// <summary>Where basic-insurance status comes from (<c>Insurance:*</c>).</summary>
public sealed class InsuranceOptions : IValidatableObject
{
    public const string Section = "Insurance";

    /// <summary><see cref="InsuranceModes.Roster"/> (default) or <see cref="InsuranceModes.Http"/>.</summary>
    [Required]
    public string Mode { get; set; } = InsuranceModes.Roster;

    /// <summary>The 医保 service's base URL; required in <c>http</c> mode, and https outside Development.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>
    /// The credential the 医保 service expects on every call (a Key Vault secret in Azure); empty or
    /// <c>none</c> means unset, which <c>http</c> mode accepts in Development only.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>The request header <see cref="ApiKey"/> travels in; bureaus name it differently.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9-]{1,64}$")]
    public string ApiKeyHeader { get; set; } = DefaultApiKeyHeader;

    public const string DefaultApiKeyHeader = "X-Api-Key";

    /// <summary>The key to send, or null when unset.</summary>
    public string? EffectiveApiKey =>
        string.IsNullOrWhiteSpace(ApiKey) || ApiKey.Trim().Equals(NoKey, StringComparison.OrdinalIgnoreCase) ? null : ApiKey.Trim();

    /// <summary>What a Key Vault secret holds when there is no key (a secret can't be empty).</summary>
    private const string NoKey = "none";

    /// <summary>Per attempt. The bureau's service answers in well under a second when healthy.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Retries after the first attempt, with exponential backoff and jitter.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 2;

    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:30")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The breaker opens when at least this many calls in <see cref="CircuitSamplingDuration"/> saw half of them fail.</summary>
    [Range(2, 10_000)]
    public int CircuitMinimumThroughput { get; set; } = 20;

    [Range(typeof(TimeSpan), "00:00:00.500", "00:10:00")]
    public TimeSpan CircuitSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open breaker refuses calls before letting one through to probe.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:30:00")]
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Mode is not (InsuranceModes.Roster or InsuranceModes.Http))
            yield return new ValidationResult($"Insurance:Mode must be '{InsuranceModes.Roster}' or '{InsuranceModes.Http}'.", [nameof(Mode)]);
        if (Mode == InsuranceModes.Http
            && !(Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            yield return new ValidationResult("Insurance:BaseUrl must be an absolute http(s) URL when Insurance:Mode is 'http'.", [nameof(BaseUrl)]);
    }
}

public static class InsuranceModes
{
    /// <summary>The roster ops import from the bureau's CSV.</summary>
    public const string Roster = "roster";

    /// <summary>The bureau's HTTP service, for cities that offer one.</summary>
    public const string Http = "http";
}
