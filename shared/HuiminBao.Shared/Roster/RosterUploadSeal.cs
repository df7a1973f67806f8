using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using HuiminBao.Security;
using Microsoft.Extensions.Options;

namespace HuiminBao.Roster;

/// <summary>
/// An uploaded roster file is the bureau's list of names and ID numbers, so it is never stored as
/// it came: it is sealed on its way into blob storage and opened on its way out to the importer, and
/// deleted once imported. The format is chunked AES-256-GCM (the STREAM construction): a header with
/// the data key's id and a random salt; then chunks of up to 64 KiB, each sealed under a per-file
/// key with its index as nonce and a flag on the last, so a reordered, altered or truncated blob fails
/// to open instead of importing part of a file.
/// </summary>
public sealed class RosterUploadSeal
{
    internal const int ChunkSize = 64 * 1024;
    internal const int TagSize = 16;
    internal const int SaltSize = 16;
    internal static readonly byte[] Magic = "HMBROST1"u8.ToArray();
    internal const int HeaderSize = 8 + 8 + SaltSize;

    private readonly string _currentId;
    private readonly Dictionary<string, byte[]> _keys = new(StringComparer.Ordinal);

    public RosterUploadSeal(IOptions<SecurityOptions> options)
    {
        var current = SecretKeys.Decode(options.Value.DataKey);
        _currentId = KeyId(current);
        _keys[_currentId] = SecretKeys.Derive(current, "roster-upload");
        foreach (var retired in SecretKeys.SplitList(options.Value.RetiredDataKeys))
        {
            var key = SecretKeys.Decode(retired);
            _keys.TryAdd(KeyId(key), SecretKeys.Derive(key, "roster-upload"));
        }
    }

    /// <summary>A stream reading the sealed form of <paramref name="plaintext"/>; <paramref name="context"/> (the blob name) is bound in.</summary>
    public Stream Seal(Stream plaintext, string context)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltSize);
        var header = new byte[HeaderSize];
        Magic.CopyTo(header, 0);
        Encoding.ASCII.GetBytes(_currentId, header.AsSpan(8, 8));
        salt.CopyTo(header, 16);
        return new SealingStream(plaintext, FileKey(_keys[_currentId], salt), header, Encoding.UTF8.GetBytes(context));
    }

    /// <summary>A stream reading the plaintext of a sealed blob; throws <see cref="CryptographicException"/> on any tampering or truncation.</summary>
    public Stream Open(Stream sealedStream, string context) =>
        new OpeningStream(sealedStream, header =>
        {
            if (!header.AsSpan(0, 8).SequenceEqual(Magic))
                throw new CryptographicException("Not a sealed roster upload.");
            var keyId = Encoding.ASCII.GetString(header, 8, 8);
            if (!_keys.TryGetValue(keyId, out var key))
                throw new CryptographicException($"Sealed with data key {keyId}, which is not configured.");
            return FileKey(key, header.AsSpan(16, SaltSize));
        }, Encoding.UTF8.GetBytes(context));

    internal static void Nonce(Span<byte> nonce, long index, bool last)
    {
        nonce.Clear();
        BinaryPrimitives.WriteInt64BigEndian(nonce[3..11], index);
        nonce[11] = last ? (byte)1 : (byte)0;
    }

    private static byte[] FileKey(byte[] key, ReadOnlySpan<byte> salt) => HMACSHA256.HashData(key, salt);

    private static string KeyId(byte[] key) => Convert.ToHexStringLower(SHA256.HashData(key).AsSpan(0, 4));
}
