namespace HuiminBao.Roster;

/// <summary>Passes an upload through, showing every byte to a <see cref="RosterFileScanner"/> and refusing to read past a size limit.</summary>
internal sealed class ScanningStream(Stream inner, RosterFileScanner scanner, long maxBytes) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => scanner.Bytes;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Scan(buffer.AsSpan(offset, inner.Read(buffer, offset, count)));

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Scan(buffer.AsSpan(offset, await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken)));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        return Scan(buffer.Span[..read]);
    }

    private int Scan(ReadOnlySpan<byte> chunk)
    {
        scanner.Append(chunk);
        if (scanner.Bytes > maxBytes)
            throw new RosterUploadTooLargeException(maxBytes);
        return chunk.Length;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>The upload went past <see cref="RosterImportOptions.MaxUploadBytes"/>.</summary>
public sealed class RosterUploadTooLargeException(long maxBytes) : Exception($"Roster uploads are limited to {maxBytes} bytes.")
{
    public long MaxBytes { get; } = maxBytes;
}
