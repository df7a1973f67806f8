using System.Security.Cryptography;

namespace HuiminBao.Security;

/// <summary>
/// Keys published in this repository for local runs and tests. Anyone can read them, so the
/// options validation refuses them in every environment but Development.
/// </summary>
public static class DevelopmentKeys
{
    public const string IdHashKey = "ZGV2LW9ubHktaWQtaGFzaC1rZXktaHVpbWluYmFvLTAwMDE=";
    public const string DataKey = "REVWLU9OTFktZGF0YS1rZXktMzItYnl0ZXMtaHVpbWk=";
    public const string SessionKey = "ZGV2LW9ubHktc2Vzc2lvbi1rZXktaHVpbWluYmFvLTAwMDE=";

    /// <summary>HMAC-SHA256 pads a key to its 64-byte block with zeros, and hashes a longer one down first.</summary>
    private const int HmacBlockSize = 64;

    private static readonly byte[][] Published = [.. new[] { IdHashKey, DataKey, SessionKey }.Select(k => Effective(SecretKeys.Decode(k)))];

    /// <summary>
    /// Compares the key the setting amounts to, not its text. Base64 ignores whitespace and the
    /// unused bits of its last character, and HMAC treats a key and the same key followed by zero
    /// bytes as one key, so " key\n" or the key with zeros appended is the published key all the same.
    /// </summary>
    public static bool IsDevelopmentKey(string value)
    {
        if (!SecretKeys.TryDecode(value, out var bytes))
            return false;
        var effective = Effective(bytes);
        return Published.Any(key => key.AsSpan().SequenceEqual(effective));
    }

    private static byte[] Effective(byte[] key)
    {
        var block = key.Length > HmacBlockSize ? SHA256.HashData(key) : key;
        return block.AsSpan().TrimEnd((byte)0).ToArray();
    }
}
