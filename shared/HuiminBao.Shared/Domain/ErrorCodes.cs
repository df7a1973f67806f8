namespace HuiminBao.Domain;

/// <summary>
/// Stable machine codes. The mini-program switches on these, so a code is never renamed or reused;
/// the zh-CN text beside it is what a user reads and may be reworded.
/// </summary>
public static class ErrorCodes
{
    // Request shape
    public const string ValidationFailed = "validation-failed";
    public const string MalformedJson = "malformed-json";
    public const string BodyTooLarge = "body-too-large";
    public const string UnsupportedMediaType = "unsupported-media-type";
    public const string Required = "required";
    public const string WrongType = "wrong-type";
    public const string UnknownField = "unknown-field";
    public const string DuplicateField = "duplicate-field";
    public const string TooLong = "too-long";

    // Fields
    public const string IdNumberFormat = "id-number-format";
    public const string IdNumberLegacy = "id-number-15-digit";
    public const string IdNumberChecksum = "id-number-checksum";
    public const string IdNumberBirthDate = "id-number-birth-date";
    public const string IdNumberBirthDateFuture = "id-number-birth-date-future";
    public const string IdNumberDuplicate = "id-number-duplicate";
    public const string MobileInvalid = "mobile-invalid";
    public const string NameInvalid = "name-invalid";
    public const string RelationInvalid = "relation-invalid";
    public const string SelfMoreThanOne = "self-more-than-one";
    public const string SelfMismatch = "self-mismatch";
    public const string HouseholdEmpty = "household-empty";
    public const string HouseholdTooLarge = "household-too-large";
    public const string PlanYearMismatch = "plan-year-mismatch";
    public const string EnrollmentNotOpen = "enrollment-not-open";
    public const string EnrollmentClosed = "enrollment-closed";
    public const string ConsentRequired = "consent-required";
    public const string ConsentVersionUnknown = "consent-version-unknown";

    // Sessions and access
    public const string TokenMissing = "token-missing";
    public const string TokenInvalid = "token-invalid";
    public const string TokenExpired = "token-expired";
    public const string LoginCodeInvalid = "login-code-invalid";
    public const string LoginCodeUsed = "login-code-used";
    public const string WeChatRateLimited = "wechat-rate-limited";
    public const string WeChatUnavailable = "wechat-unavailable";
    public const string WeChatLoginFailed = "wechat-login-failed";
    public const string RateLimited = "rate-limited";
    public const string NotFound = "not-found";
    public const string OpsKeyRequired = "ops-key-required";

    /// <summary>The sign-up's personal data was erased (PIPL deletion, or the retention period ran out).</summary>
    public const string Erased = "erased";

    // Re-sealing under a rotated data key (ops)
    public const string ContinuationInvalid = "continuation-invalid";
    public const string ResealLimitInvalid = "reseal-limit-invalid";

    // Tallies (ops)
    public const string TallyDateInvalid = "tally-date-invalid";
    public const string TallyRangeInverted = "tally-range-inverted";
    public const string TallyRangeTooLong = "tally-range-too-long";
    public const string PlanYearInvalid = "plan-year-invalid";

    // Ops queries
    public const string DateInvalid = "date-invalid";
    public const string DateRangeInverted = "date-range-inverted";
    public const string AuditRangeTooLong = "audit-range-too-long";
    public const string OpsSessionRequired = "ops-session-required";

    // Idempotency and storage
    public const string IdempotencyKeyInvalid = "idempotency-key-invalid";
    public const string IdempotencyKeyReused = "idempotency-key-reused";
    public const string StorageUnavailable = "storage-unavailable";
    public const string InternalError = "internal-error";
}
