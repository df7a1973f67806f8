using System.ComponentModel.DataAnnotations;

namespace HuiminBao.Security;

/// <summary>
/// The three secrets (<c>Security:*</c>, base64): the HMAC key behind every person key, the AES key
/// for stored personal data, and the token signing key. In Azure they come from Key Vault references.
/// </summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    [Required]
    public string IdHashKey { get; set; } = "";

    [Required]
    public string DataKey { get; set; } = "";

    [Required]
    public string SessionKey { get; set; } = "";

    /// <summary>Earlier data keys, comma-separated, still accepted for reading after a rotation.</summary>
    public string? RetiredDataKeys { get; set; }

    /// <summary>Earlier session keys, comma-separated: tokens they signed verify until they expire (two hours).</summary>
    public string? RetiredSessionKeys { get; set; }
}
