using HuiminBao.Roster;

namespace HuiminBao.Tests.Roster;

public sealed class CsvRecordReaderTests
{
    private static async Task<List<(long Line, bool Malformed, string[] Fields)>> ReadAllAsync(string text)
    {
        var reader = new CsvRecordReader(new StringReader(text));
        var fields = new List<string>();
        var records = new List<(long, bool, string[])>();
        while (await reader.ReadAsync(fields, default))
            records.Add((reader.Line, reader.Malformed, fields.ToArray()));
        return records;
    }

    [Fact]
    public async Task Quoted_fields_keep_commas_doubled_quotes_and_line_breaks_and_lines_are_counted_physically()
    {
        var records = await ReadAllAsync("a,b\r\n\"x,1\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",z\n\nlast,row");

        Assert.Equal([["a", "b"], ["x,1", "say \"hi\""], ["two\nlines", "z"], ["last", "row"]], records.Select(r => r.Fields));
        Assert.Equal([1L, 2L, 3L, 6L], records.Select(r => r.Line));
        Assert.All(records, r => Assert.False(r.Malformed));
    }

    [Theory]
    [InlineData("a,b\r\nc,d\r\n")]
    [InlineData("a,b\nc,d\n")]
    [InlineData("a,b\rc,d\r")]
    [InlineData("a,b\r\nc,d")]
    public async Task Crlf_lf_and_cr_line_ends_read_alike(string text)
    {
        var records = await ReadAllAsync(text);

        Assert.Equal([["a", "b"], ["c", "d"]], records.Select(r => r.Fields));
        Assert.Equal([1L, 2L], records.Select(r => r.Line));
    }

    [Fact]
    public async Task An_unbalanced_quote_spoils_one_record_not_the_rest_of_the_file()
    {
        var rows = string.Concat(Enumerable.Range(0, 1000).Select(i => $"row{i},value{i}\n"));
        var records = await ReadAllAsync("h1,h2\n\"broken,x\n" + rows);

        Assert.True(records[1].Malformed);
        Assert.Equal(2, records[1].Line);
        var recovered = records.Skip(2).ToList();
        Assert.NotEmpty(recovered);
        Assert.All(recovered, r => Assert.False(r.Malformed));
        Assert.Equal(["row999", "value999"], recovered[^1].Fields);
        Assert.Equal(1002, recovered[^1].Line);
    }

    [Fact]
    public async Task Text_after_a_closing_quote_marks_the_record_malformed()
    {
        var records = await ReadAllAsync("\"ab\"c,d\n");

        Assert.True(Assert.Single(records).Malformed);
    }
}
