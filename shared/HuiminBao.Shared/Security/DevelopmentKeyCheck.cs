using System.Security.Cryptography;

namespace HuiminBao.Security;

/// <summary>
/// Recognises the keys published in this repository for local runs and tests (the local host's
/// <c>appsettings.Development.json</c>, <c>local.settings.sample.json</c>). Anyone can read them, so
/// the options validation refuses them in every environment but Development. Only their SHA-256
/// digests are here: the app that ships carries no key, not even a public one, for a secret scanner
/// or a copy-paste to find.
/// </summary>
public static class DevelopmentKeyCheck
{
    /// <summary>HMAC-SHA256 pads a key to its 64-byte block with zeros, and hashes a longer one down first.</summary>
    private const int HmacBlockSize = 64;

    /// <summary>SHA-256 of each published key as HMAC uses it (<see cref="Effective"/>): ID hash, data, session.</summary>
    private static readonly byte[][] PublishedDigests =
    [
        Convert.FromHexString("cca2a3a78e0f84fabb67991e736f1b74527b0cb36e538b5f18748fa1935a4aeb"),
        Convert.FromHexString("2340b7f4a41e0a471dc49bc60f4e6a2050cae27e190a5d004852c1a188af5463"),
        Convert.FromHexString("9ed56a71fbb1e3bde15605876f0701896b04011200af67dbab8c75b6a4827709"),
    ];

    /// <summary>
    /// Compares the key the setting amounts to, not its text. Base64 ignores whitespace and the
    /// unused bits of its last character, and HMAC treats a key and the same key followed by zero
    /// bytes as one key, so " key\n" or the key with zeros appended is the published key all the same.
    /// </summary>
    public static bool IsDevelopmentKey(string value)
    {
        if (!SecretKeys.TryDecode(value, out var bytes))
            return false;
        var digest = SHA256.HashData(Effective(bytes));
        return PublishedDigests.Any(published => CryptographicOperations.FixedTimeEquals(published, digest));
    }

    private static byte[] Effective(byte[] key)
    {
        var block = key.Length > HmacBlockSize ? SHA256.HashData(key) : key;
        return block.AsSpan().TrimEnd((byte)0).ToArray();
    }
}
