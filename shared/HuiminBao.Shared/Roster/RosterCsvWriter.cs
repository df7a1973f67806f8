using System.Text;

namespace HuiminBao.Roster;

/// <summary>How to write a roster file: the variations bureau exports come in.</summary>
public sealed record RosterCsvFormat
{
    /// <summary>GBK (as GB18030) without BOM, as Excel on a Chinese Windows saves CSV; else UTF-8.</summary>
    public bool Gbk { get; init; }

    /// <summary>UTF-8 only: start with a BOM, as Excel's "CSV UTF-8" does.</summary>
    public bool Bom { get; init; }

    public bool EnglishHeader { get; init; }

    /// <summary>employee/resident and active/suspended/terminated instead of the Chinese words.</summary>
    public bool EnglishValues { get; init; }

    /// <summary>职工基本医疗保险 / 城乡居民基本医疗保险 instead of 职工 / 居民.</summary>
    public bool LongSchemeNames { get; init; }

    /// <summary>Quote every field, as some exporters do.</summary>
    public bool QuoteAll { get; init; }

    /// <summary>A leading 序号 column, as bureau exports have.</summary>
    public bool RowNumbers { get; init; } = true;

    /// <summary>Field order by Chinese field name; null for 身份证号, 姓名, 险种, 行政区划, 参保状态.</summary>
    public IReadOnlyList<string>? Columns { get; init; }

    public Encoding TextEncoding => Gbk ? RosterEncoding.For(RosterEncoding.Gb18030) : new UTF8Encoding(Bom);
}

/// <summary>Writes a roster CSV the way the bureau's systems and Excel do (CRLF line ends).</summary>
public static class RosterCsvWriter
{
    private static readonly string[] DefaultColumns =
        [RosterColumns.IdNumberField, RosterColumns.NameField, RosterColumns.SchemeField, RosterColumns.DistrictField, RosterColumns.StatusField];

    private static readonly Dictionary<string, string> English = new()
    {
        [RosterColumns.IdNumberField] = "idNumber",
        [RosterColumns.NameField] = "name",
        [RosterColumns.SchemeField] = "scheme",
        [RosterColumns.DistrictField] = "district",
        [RosterColumns.StatusField] = "status",
    };

    public static async Task<long> WriteAsync(Stream stream, IEnumerable<SyntheticPerson> people, RosterCsvFormat format, CancellationToken cancellationToken)
    {
        var columns = format.Columns ?? DefaultColumns;
        await using var writer = new StreamWriter(stream, format.TextEncoding, 64 * 1024, leaveOpen: true) { NewLine = "\r\n" };
        var header = columns.Select(c => format.EnglishHeader ? English[c] : c);
        if (format.RowNumbers)
            header = header.Prepend(format.EnglishHeader ? "no" : "序号");
        await writer.WriteLineAsync(Line(header, format.QuoteAll));

        long rows = 0;
        var fields = new string[columns.Count + (format.RowNumbers ? 1 : 0)];
        foreach (var person in people)
        {
            cancellationToken.ThrowIfCancellationRequested();
            rows++;
            var at = 0;
            if (format.RowNumbers)
                fields[at++] = rows.ToString(System.Globalization.CultureInfo.InvariantCulture);
            foreach (var column in columns)
                fields[at++] = Value(person, column, format);
            await writer.WriteLineAsync(Line(fields, format.QuoteAll));
        }
        await writer.FlushAsync(cancellationToken);
        return rows;
    }

    private static string Value(SyntheticPerson person, string column, RosterCsvFormat format) => column switch
    {
        RosterColumns.IdNumberField => person.IdNumber,
        RosterColumns.NameField => person.Name,
        RosterColumns.DistrictField => person.District,
        RosterColumns.SchemeField => (person.Scheme, format) switch
        {
            (_, { EnglishValues: true }) => person.Scheme == "职工" ? "employee" : "resident",
            ("职工", { LongSchemeNames: true }) => "职工基本医疗保险",
            (_, { LongSchemeNames: true }) => "城乡居民基本医疗保险",
            _ => person.Scheme,
        },
        RosterColumns.StatusField => format.EnglishValues
            ? person.Status switch { "正常" => "active", "暂停" => "suspended", _ => "terminated" }
            : person.Status,
        _ => throw new ArgumentException($"Unknown roster column {column}.", nameof(column)),
    };

    private static string Line(IEnumerable<string> fields, bool quoteAll) =>
        string.Join(',', fields.Select(f => quoteAll || f.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + f.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : f));
}
