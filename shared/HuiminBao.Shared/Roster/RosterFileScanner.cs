using System.Security.Cryptography;
using System.Text;

namespace HuiminBao.Roster;

/// <summary>
/// One pass over a roster file's bytes as they stream by (from disk, or from an upload on its way to
/// blob storage): its SHA-256, which names the import so that the same file is the same import; its
/// length; its encoding (a BOM, else UTF-8 if every byte of it is valid UTF-8, else GB18030); and its
/// first bytes, to check the header before any row is imported.
/// </summary>
public sealed class RosterFileScanner : IDisposable
{
    public const int PrefixBytes = 64 * 1024;

    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly Decoder _utf8 = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
    private readonly byte[] _prefix = new byte[PrefixBytes];
    private int _prefixLength;
    private long _bytes;
    private bool _validUtf8 = true;
    private char[] _scratch = new char[64 * 1024];

    public long Bytes => _bytes;

    public void Append(ReadOnlySpan<byte> chunk)
    {
        if (chunk.IsEmpty)
            return;
        _hash.AppendData(chunk);
        var toPrefix = Math.Min(chunk.Length, PrefixBytes - _prefixLength);
        chunk[..toPrefix].CopyTo(_prefix.AsSpan(_prefixLength));
        _prefixLength += toPrefix;
        _bytes += chunk.Length;
        if (_validUtf8)
        {
            try
            {
                // GetChars, not GetCharCount: only decoding carries a character split across chunks over.
                if (_scratch.Length < chunk.Length + 4)
                    _scratch = new char[chunk.Length + 4];
                _utf8.GetChars(chunk, _scratch, flush: false);
            }
            catch (DecoderFallbackException)
            {
                _validUtf8 = false;
            }
        }
    }

    public RosterFileFacts Complete()
    {
        if (_validUtf8)
        {
            try
            {
                _utf8.GetChars([], _scratch, flush: true);
            }
            catch (DecoderFallbackException)
            {
                _validUtf8 = false;
            }
        }
        var prefix = _prefix.AsSpan(0, _prefixLength);
        var encoding = prefix switch
        {
            [0xEF, 0xBB, 0xBF, ..] => RosterEncoding.Utf8,
            [0xFF, 0xFE, ..] => RosterEncoding.Utf16LittleEndian,
            [0xFE, 0xFF, ..] => RosterEncoding.Utf16BigEndian,
            _ when _validUtf8 => RosterEncoding.Utf8,
            _ => RosterEncoding.Gb18030,
        };
        return new RosterFileFacts(Convert.ToHexStringLower(_hash.GetCurrentHash()), _bytes, encoding, prefix.ToArray());
    }

    public static async Task<RosterFileFacts> ScanAsync(Stream stream, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        using var scanner = new RosterFileScanner();
        var buffer = new byte[256 * 1024];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            scanner.Append(buffer.AsSpan(0, read));
            progress?.Report(scanner.Bytes);
        }
        return scanner.Complete();
    }

    public void Dispose() => _hash.Dispose();
}

/// <param name="Sha256">Lowercase hex of the whole file.</param>
/// <param name="Prefix">The first <see cref="RosterFileScanner.PrefixBytes"/> bytes, for the header check.</param>
public sealed record RosterFileFacts(string Sha256, long Bytes, string Encoding, byte[] Prefix)
{
    /// <summary>The import id: the same file, however it arrives, is the same import.</summary>
    public string ImportId => Sha256[..32];
}
