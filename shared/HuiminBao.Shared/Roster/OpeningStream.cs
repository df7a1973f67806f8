using System.Buffers.Binary;
using System.Security.Cryptography;

namespace HuiminBao.Roster;

/// <summary>Reads a <see cref="RosterUploadSeal"/> blob and yields the plaintext, checking every chunk and that the final one arrived.</summary>
internal sealed class OpeningStream(Stream sealedStream, Func<byte[], byte[]> keyFromHeader, byte[] associatedData) : ReadOnlyStream
{
    private readonly byte[] _sealed = new byte[RosterUploadSeal.ChunkSize + RosterUploadSeal.TagSize];
    private readonly byte[] _plain = new byte[RosterUploadSeal.ChunkSize];
    private AesGcm? _aes;
    private int _plainLength;
    private int _plainPosition;
    private long _index;
    private bool _finished;
    private long _position;

    protected override long BytesSoFar => _position;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_aes is null)
        {
            var header = new byte[RosterUploadSeal.HeaderSize];
            await FillAsync(header, cancellationToken);
            _aes = new AesGcm(keyFromHeader(header), RosterUploadSeal.TagSize);
        }
        while (_plainPosition == _plainLength)
        {
            if (_finished)
                return 0;
            await NextChunkAsync(_aes, cancellationToken);
        }
        var count = Math.Min(buffer.Length, _plainLength - _plainPosition);
        _plain.AsMemory(_plainPosition, count).CopyTo(buffer);
        _plainPosition += count;
        _position += count;
        return count;
    }

    private async Task NextChunkAsync(AesGcm aes, CancellationToken cancellationToken)
    {
        var lengthBytes = new byte[4];
        await FillAsync(lengthBytes, cancellationToken);
        var length = BinaryPrimitives.ReadInt32BigEndian(lengthBytes);
        if (length is < 0 or > RosterUploadSeal.ChunkSize)
            throw new CryptographicException("Sealed roster upload is damaged.");
        await FillAsync(_sealed.AsMemory(0, length + RosterUploadSeal.TagSize), cancellationToken);
        var last = length < RosterUploadSeal.ChunkSize;
        Span<byte> nonce = stackalloc byte[12];
        RosterUploadSeal.Nonce(nonce, _index++, last);
        aes.Decrypt(nonce, _sealed.AsSpan(0, length), _sealed.AsSpan(length, RosterUploadSeal.TagSize), _plain.AsSpan(0, length), associatedData);
        _plainLength = length;
        _plainPosition = 0;
        _finished = last;
    }

    private async Task FillAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            await sealedStream.ReadExactlyAsync(buffer, cancellationToken);
        }
        catch (EndOfStreamException e)
        {
            throw new CryptographicException("Sealed roster upload is truncated.", e);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _aes?.Dispose();
            sealedStream.Dispose();
        }
        base.Dispose(disposing);
    }
}
