using System.Security.Cryptography;
using System.Text;

namespace HuiminBao.Security;

public static class SecretKeys
{
    public static bool TryDecode(string value, out byte[] bytes)
    {
        bytes = [];
        if (string.IsNullOrWhiteSpace(value))
            return false;
        try
        {
            bytes = Convert.FromBase64String(value.Trim());
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public static byte[] Decode(string value) =>
        TryDecode(value, out var bytes) ? bytes : throw new InvalidOperationException("A security key is not base64.");

    /// <summary>The keys of a list setting; <c>none</c> stands for an empty list, since a Key Vault secret can't be empty.</summary>
    public static IEnumerable<string> SplitList(string? value) =>
        (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(key => !key.Equals(NoKeys, StringComparison.OrdinalIgnoreCase));

    public const string NoKeys = "none";

    /// <summary>
    /// One configured secret serves several purposes; deriving a sub-key per purpose keeps a hash
    /// made for one (say, a sign-up id) from being matched against another (a person key).
    /// </summary>
    public static byte[] Derive(byte[] root, string purpose) => HMACSHA256.HashData(root, Encoding.UTF8.GetBytes("huiminbao/" + purpose));
}
