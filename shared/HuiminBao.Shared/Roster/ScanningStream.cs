namespace HuiminBao.Roster;

/// <summary>Passes an upload through, showing every byte to a <see cref="RosterFileScanner"/> and refusing to read past a size limit.</summary>
internal sealed class ScanningStream(Stream inner, RosterFileScanner scanner, long maxBytes) : ReadOnlyStream
{
    protected override long BytesSoFar => scanner.Bytes;

    public override int Read(byte[] buffer, int offset, int count) => Scan(buffer.AsSpan(offset, inner.Read(buffer, offset, count)));

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
}

/// <summary>The upload went past <see cref="RosterImportOptions.MaxUploadBytes"/>.</summary>
public sealed class RosterUploadTooLargeException(long maxBytes) : Exception($"Roster uploads are limited to {maxBytes} bytes.")
{
    public long MaxBytes { get; } = maxBytes;
}
