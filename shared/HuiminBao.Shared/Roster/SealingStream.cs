using System.Buffers.Binary;
using System.Security.Cryptography;

namespace HuiminBao.Roster;

/// <summary>Reads a plaintext stream and yields its <see cref="RosterUploadSeal"/> form, one chunk at a time.</summary>
internal sealed class SealingStream(Stream plaintext, byte[] key, byte[] header, byte[] associatedData) : ReadOnlyStream
{
    private readonly AesGcm _aes = new(key, RosterUploadSeal.TagSize);
    private readonly byte[] _plain = new byte[RosterUploadSeal.ChunkSize];
    private readonly byte[] _output = new byte[4 + RosterUploadSeal.ChunkSize + RosterUploadSeal.TagSize];
    private int _outputLength;
    private int _outputPosition;
    private long _index;
    private bool _headerSent;
    private bool _finished;
    private long _position;

    protected override long BytesSoFar => _position;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_headerSent)
        {
            header.CopyTo(_output, 0);
            _outputLength = header.Length;
            _outputPosition = 0;
            _headerSent = true;
        }
        while (_outputPosition == _outputLength)
        {
            if (_finished)
                return 0;
            await NextChunkAsync(cancellationToken);
        }
        var count = Math.Min(buffer.Length, _outputLength - _outputPosition);
        _output.AsMemory(_outputPosition, count).CopyTo(buffer);
        _outputPosition += count;
        _position += count;
        return count;
    }

    /// <summary>Fills a whole chunk (short only at the end); the end is marked by a final, possibly empty, chunk.</summary>
    private async Task NextChunkAsync(CancellationToken cancellationToken)
    {
        var filled = 0;
        int read;
        while (filled < _plain.Length && (read = await plaintext.ReadAsync(_plain.AsMemory(filled), cancellationToken)) > 0)
            filled += read;
        var last = filled < _plain.Length;
        Span<byte> nonce = stackalloc byte[12];
        RosterUploadSeal.Nonce(nonce, _index++, last);
        BinaryPrimitives.WriteInt32BigEndian(_output, filled);
        _aes.Encrypt(nonce, _plain.AsSpan(0, filled), _output.AsSpan(4, filled), _output.AsSpan(4 + filled, RosterUploadSeal.TagSize), associatedData);
        _outputLength = 4 + filled + RosterUploadSeal.TagSize;
        _outputPosition = 0;
        _finished = last;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _aes.Dispose();
            plaintext.Dispose();
        }
        base.Dispose(disposing);
    }
}
