using System.Collections.Frozen;

namespace HuiminBao.Roster;

/// <summary>
/// Where each roster field is in a file, read from its header row: Chinese or English names, any
/// order, other columns (序号, 性别, 出生日期, ...) ignored. Every field is required, the name too
/// (eligibility compares the name given with it), and a file without one is refused before any
/// row is imported.
/// </summary>
public sealed record RosterColumns(int IdNumber, int Scheme, int District, int Status, int Name, int HeaderWidth)
{
    public const string IdNumberField = "身份证号";
    public const string NameField = "姓名";
    public const string SchemeField = "险种";
    public const string DistrictField = "行政区划";
    public const string StatusField = "参保状态";

    private static readonly FrozenDictionary<string, string> Aliases = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [IdNumberField] = IdNumberField,
        ["身份证号码"] = IdNumberField,
        ["公民身份号码"] = IdNumberField,
        ["idNumber"] = IdNumberField,
        ["id_number"] = IdNumberField,
        [NameField] = NameField,
        ["name"] = NameField,
        [SchemeField] = SchemeField,
        ["险种类型"] = SchemeField,
        ["scheme"] = SchemeField,
        [DistrictField] = DistrictField,
        ["行政区划代码"] = DistrictField,
        ["district"] = DistrictField,
        [StatusField] = StatusField,
        ["status"] = StatusField,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The rightmost column a row must reach.</summary>
    public int Needed { get; } = new[] { IdNumber, Scheme, District, Status, Name }.Max() + 1;

    private static readonly string[] RequiredFields = [IdNumberField, NameField, SchemeField, DistrictField, StatusField];

    /// <summary>Checks the header in a file's first bytes, before anything is imported; null when it is fine.</summary>
    public static async Task<RosterHeaderProblem?> CheckHeaderAsync(RosterFileFacts facts, CancellationToken cancellationToken)
    {
        using var text = RosterEncoding.Reader(new MemoryStream(facts.Prefix), facts.Encoding);
        var fields = new List<string>();
        if (!await new CsvRecordReader(text).ReadAsync(fields, cancellationToken))
            return new RosterHeaderProblem(RequiredFields, []);
        Read(fields, out var problem);
        return problem;
    }

    /// <summary>Reads the header; on failure returns null and says which fields are missing or doubled.</summary>
    public static RosterColumns? Read(IReadOnlyList<string> header, out RosterHeaderProblem? problem)
    {
        var found = new Dictionary<string, int>(StringComparer.Ordinal);
        var duplicates = new List<string>();
        for (var i = 0; i < header.Count; i++)
        {
            var cleaned = header[i].Trim().Trim('\uFEFF', '\u3000').Trim();
            if (!Aliases.TryGetValue(cleaned, out var field))
                continue;
            if (!found.TryAdd(field, i))
                duplicates.Add(field);
        }
        var missing = RequiredFields.Where(f => !found.ContainsKey(f)).ToList();
        if (missing.Count > 0 || duplicates.Count > 0)
        {
            problem = new RosterHeaderProblem(missing, duplicates);
            return null;
        }
        problem = null;
        return new RosterColumns(found[IdNumberField], found[SchemeField], found[DistrictField], found[StatusField], found[NameField], header.Count);
    }
}

/// <summary>Why a header was refused: required fields it lacks, fields it names twice (Chinese field names).</summary>
public sealed record RosterHeaderProblem(IReadOnlyList<string> Missing, IReadOnlyList<string> Duplicated)
{
    public const string Empty = "文件为空，没有表头";

    public string Describe() =>
        string.Join("；", new[]
        {
            Missing.Count > 0 ? "缺少列：" + string.Join("、", Missing) : null,
            Duplicated.Count > 0 ? "重复列：" + string.Join("、", Duplicated) : null,
        }.Where(s => s is not null));
}
