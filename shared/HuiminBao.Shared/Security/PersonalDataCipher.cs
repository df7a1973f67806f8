using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace HuiminBao.Security;

/// <summary>
/// AES-256-GCM for personal data that must be recovered (names, ID numbers, mobiles). The output
/// names the key it was sealed with, so a rotated key can still open older records.
/// </summary>
public sealed class PersonalDataCipher
{
    private const string Version = "v1";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly string _currentId;
    private readonly byte[] _currentKey;
    private readonly Dictionary<string, byte[]> _keys = new(StringComparer.Ordinal);

    public PersonalDataCipher(IOptions<SecurityOptions> options)
    {
        _currentKey = SecretKeys.Decode(options.Value.DataKey);
        _currentId = KeyId(_currentKey);
        _keys[_currentId] = _currentKey;
        foreach (var retired in SecretKeys.SplitList(options.Value.RetiredDataKeys))
        {
            var key = SecretKeys.Decode(retired);
            _keys.TryAdd(KeyId(key), key);
        }
    }

    public string CurrentKeyId => _currentId;

    /// <summary>The id of the key a sealed value names, or null for something that isn't one.</summary>
    public static string? KeyIdOf(string sealedValue)
    {
        var parts = sealedValue.Split('.');
        return parts.Length == 3 && parts[0] == Version ? parts[1] : null;
    }

    /// <summary>True when <paramref name="sealedValue"/> is sealed under the current key (re-sealing it would change nothing).</summary>
    public bool IsCurrent(string sealedValue) => KeyIdOf(sealedValue) == _currentId;

    /// <summary>
    /// The first characters every value sealed under key <paramref name="keyId"/> starts with, for
    /// range filters in storage queries: such values sort from this prefix up to <see cref="PrefixEnd"/>.
    /// </summary>
    public static string PrefixOf(string keyId) => $"{Version}.{keyId}.";

    /// <summary>The smallest string sorting after every value that starts with <see cref="PrefixOf"/> (the '.' after the key id becomes '/').</summary>
    public static string PrefixEnd(string keyId) => $"{Version}.{keyId}/";

    /// <summary>The same plaintext sealed under the current key; <paramref name="sealedValue"/> must open with a configured one.</summary>
    public string Reseal(string sealedValue, string context) => Seal(Open(sealedValue, context), context);

    /// <summary>Seals <paramref name="plaintext"/>; <paramref name="context"/> (say, the sign-up id) is bound in as associated data so a sealed value can't be moved to another record.</summary>
    public string Seal(string plaintext, string context)
    {
        var data = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[NonceSize + data.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_currentKey, TagSize);
        aes.Encrypt(nonce, data, output.AsSpan(NonceSize, data.Length), output.AsSpan(NonceSize + data.Length), Encoding.UTF8.GetBytes(context));
        return $"{Version}.{_currentId}.{Convert.ToBase64String(output)}";
    }

    public string Open(string sealedValue, string context)
    {
        var parts = sealedValue.Split('.');
        if (parts.Length != 3 || parts[0] != Version)
            throw new CryptographicException("Sealed value has an unknown format.");
        if (!_keys.TryGetValue(parts[1], out var key))
            throw new CryptographicException($"Sealed with data key {parts[1]}, which is not configured.");
        var input = Convert.FromBase64String(parts[2]);
        var length = input.Length - NonceSize - TagSize;
        if (length < 0)
            throw new CryptographicException("Sealed value is truncated.");
        var output = new byte[length];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize, length), input.AsSpan(NonceSize + length), output, Encoding.UTF8.GetBytes(context));
        return Encoding.UTF8.GetString(output);
    }

    private static string KeyId(byte[] key) => Convert.ToHexStringLower(SHA256.HashData(key).AsSpan(0, 4));
}
