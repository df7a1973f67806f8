using System.Security.Cryptography;
using System.Text;
using HuiminBao.Domain;
using Microsoft.Extensions.Options;

namespace HuiminBao.Security;

/// <summary>
/// Keyed hashes (HMAC-SHA256) stand in for personal data wherever something must be looked up by
/// it: a person key is the same for the same ID number across sign-ups, yet reveals nothing
/// without the secret.
/// </summary>
public sealed class KeyedHashes
{
    private readonly byte[] _personKey;
    private readonly byte[] _ownerKey;
    private readonly byte[] _signUpIdKey;
    private readonly byte[] _fingerprintKey;
    private readonly byte[] _rateKey;
    private readonly byte[] _nameKey;

    public KeyedHashes(IOptions<SecurityOptions> options)
    {
        var root = SecretKeys.Decode(options.Value.IdHashKey);
        _personKey = SecretKeys.Derive(root, "person");
        _ownerKey = SecretKeys.Derive(root, "owner");
        _signUpIdKey = SecretKeys.Derive(root, "signup-id");
        _fingerprintKey = SecretKeys.Derive(root, "fingerprint");
        _rateKey = SecretKeys.Derive(root, "rate-limit");
        _nameKey = SecretKeys.Derive(root, "roster-name");
    }

    /// <summary>The person key for a normalised ID number: 64 lowercase hex characters.</summary>
    public string PersonKey(string normalizedIdNumber) => Hex(_personKey, normalizedIdNumber);

    /// <summary>
    /// A name bound to its ID number, in <see cref="PersonName.ComparisonForm"/>: what the roster
    /// keeps of a name and what intake computes for the name typed in, so the two compare without
    /// either being stored. Bound to the ID so two people of the same name hash apart and a dump
    /// shows no name frequencies. 32 lowercase hex characters (128 bits): enough to compare, short
    /// to store 4 million times.
    /// </summary>
    public string NameKey(string normalizedIdNumber, string name) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_nameKey, Encoding.UTF8.GetBytes(normalizedIdNumber + "\n" + PersonName.ComparisonForm(name))).AsSpan(0, 16));

    /// <summary>Who owns a sign-up, without storing the openid itself as the lookup value.</summary>
    public string OwnerKey(string openId) => Hex(_ownerKey, openId);

    public string Fingerprint(string canonical) => Hex(_fingerprintKey, canonical);

    /// <summary>What a rate limit counts by (a client address, an openid), as stored for counting across instances.</summary>
    public string RateKey(string key) => Hex(_rateKey, key);

    /// <summary>
    /// Sign-up ids are derived, not random, so that a retried request lands on the same id and the
    /// insert itself detects the duplicate. 120 bits, lowercase base32: 24 characters.
    /// </summary>
    public string SignUpId(string scope) => Base32(HMACSHA256.HashData(_signUpIdKey, Encoding.UTF8.GetBytes(scope)).AsSpan(0, 15));

    private static string Hex(byte[] key, string value) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(value)));

    private static string Base32(ReadOnlySpan<byte> bytes)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        var output = new StringBuilder((bytes.Length * 8 + 4) / 5);
        int buffer = 0, bits = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                output.Append(alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0)
            output.Append(alphabet[(buffer << (5 - bits)) & 31]);
        return output.ToString();
    }
}
