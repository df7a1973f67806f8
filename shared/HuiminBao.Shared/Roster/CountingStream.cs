namespace HuiminBao.Roster;

/// <summary>A read-only pass-through that counts the bytes read, for progress.</summary>
internal sealed class CountingStream(Stream inner) : ReadOnlyStream
{
    private long _read;

    public long BytesRead => Interlocked.Read(ref _read);

    public override long Length => inner.Length;

    protected override long BytesSoFar => BytesRead;

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    private int Count(int read)
    {
        Interlocked.Add(ref _read, read);
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            inner.Dispose();
        base.Dispose(disposing);
    }
}
