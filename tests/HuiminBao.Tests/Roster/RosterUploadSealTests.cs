using System.Security.Cryptography;
using HuiminBao.Roster;

namespace HuiminBao.Tests.Roster;

public sealed class RosterUploadSealTests
{
    private static RosterUploadSeal Seal => TestKeys.Seal;

    private static byte[] Sealed(byte[] plaintext, string context)
    {
        using var output = new MemoryStream();
        Seal.Seal(new MemoryStream(plaintext), context).CopyTo(output);
        return output.ToArray();
    }

    private static byte[] Opened(byte[] sealedBytes, string context)
    {
        using var output = new MemoryStream();
        Seal.Open(new MemoryStream(sealedBytes), context).CopyTo(output);
        return output.ToArray();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(64 * 1024)]
    [InlineData(200_001)]
    public void A_sealed_file_opens_to_the_same_bytes_and_does_not_contain_them(int length)
    {
        var plaintext = RandomNumberGenerator.GetBytes(length);

        var sealedBytes = Sealed(plaintext, "2026/03/06/a.csv.sealed");

        Assert.Equal(plaintext, Opened(sealedBytes, "2026/03/06/a.csv.sealed"));
        if (length >= 16)
            Assert.Equal(-1, sealedBytes.AsSpan().IndexOf(plaintext.AsSpan(0, 16)));
    }

    [Fact]
    public void A_truncated_altered_or_moved_blob_does_not_open()
    {
        var sealedBytes = Sealed(RandomNumberGenerator.GetBytes(150_000), "one");
        var altered = sealedBytes.ToArray();
        altered[70_000] ^= 1;

        Assert.ThrowsAny<CryptographicException>(() => Opened(sealedBytes[..(64 * 1024 + 100)], "one"));
        Assert.ThrowsAny<CryptographicException>(() => Opened(sealedBytes[..^20], "one"));
        Assert.ThrowsAny<CryptographicException>(() => Opened(altered, "one"));
        Assert.ThrowsAny<CryptographicException>(() => Opened(sealedBytes, "another"));
    }
}
