using System.Security.Cryptography;
using System.Text;
using HuiminBao.Roster;

namespace HuiminBao.Tests.Roster;

public sealed class RosterFileScannerTests
{
    private const string Csv = "身份证号,姓名,险种,行政区划,参保状态\r\n410502199001011234,张三,职工,410502,正常\r\n";

    private static async Task<RosterFileFacts> ScanAsync(byte[] bytes, int chunk = 7)
    {
        using var scanner = new RosterFileScanner();
        for (var at = 0; at < bytes.Length; at += chunk)
            scanner.Append(bytes.AsSpan(at, Math.Min(chunk, bytes.Length - at)));
        var facts = scanner.Complete();
        Assert.Equal(facts.Sha256, (await RosterFileScanner.ScanAsync(new MemoryStream(bytes), null, default)).Sha256);
        return facts;
    }

    [Fact]
    public async Task Gbk_without_a_marker_is_read_as_gb18030()
    {
        var bytes = RosterEncoding.For(RosterEncoding.Gb18030).GetBytes(Csv);

        var facts = await ScanAsync(bytes);

        Assert.Equal(RosterEncoding.Gb18030, facts.Encoding);
        Assert.Equal(bytes.Length, facts.Bytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), facts.Sha256);
        Assert.Equal(facts.Sha256[..32], facts.ImportId);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Utf8_with_or_without_a_bom_is_utf8_even_when_a_character_straddles_chunks(bool bom)
    {
        var bytes = new UTF8Encoding(bom).GetPreamble().Concat(Encoding.UTF8.GetBytes(Csv)).ToArray();

        Assert.Equal(RosterEncoding.Utf8, (await ScanAsync(bytes, chunk: 5)).Encoding);
    }

    [Fact]
    public async Task A_header_check_reads_the_first_bytes_in_the_detected_encoding()
    {
        var good = await ScanAsync(RosterEncoding.For(RosterEncoding.Gb18030).GetBytes(Csv));
        var missing = await ScanAsync(Encoding.UTF8.GetBytes("身份证号,姓名,险种\r\n"));

        Assert.Null(await RosterColumns.CheckHeaderAsync(good, default));
        var problem = await RosterColumns.CheckHeaderAsync(missing, default);
        Assert.Equal(["行政区划", "参保状态"], problem!.Missing);
        Assert.Contains("缺少列：行政区划、参保状态", problem.Describe(), StringComparison.Ordinal);
    }
}
