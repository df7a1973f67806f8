using HuiminBao.Domain;
using HuiminBao.Roster;
using HuiminBao.Security;
using HuiminBao.Tests.Infrastructure;

namespace HuiminBao.Tests.Roster;

public sealed class RosterRowParserTests
{
    private static readonly DateOnly Today = new(2026, 3, 6);

    private static KeyedHashes Hashes => TestKeys.Hashes;

    private static RosterRowParser Parser(params string[] header)
    {
        var columns = RosterColumns.Read(header, out var problem);
        Assert.Null(problem);
        return new RosterRowParser(Hashes, columns!, "2026-03-01", Today);
    }

    [Fact]
    public void Chinese_and_english_headers_in_any_order_with_other_columns_find_the_same_fields()
    {
        var person = People.Next("410503");
        var chinese = Parser("序号", "参保状态", "姓名", "行政区划", "性别", "身份证号", "险种");
        var english = Parser("District", "idNumber", "scheme", "STATUS", "name");

        var a = chinese.Parse(["1", "正常", person.Name, "410503", "男", person.IdNumber, "职工"], 2, false, out _);
        var b = english.Parse(["410503", person.IdNumber, "employee", "active", person.Name], 2, false, out _);

        Assert.NotNull(a);
        Assert.Equal(a, b);
        Assert.Equal(new RosterRow(2, Hashes.PersonKey(person.IdNumber), InsuranceSchemes.Employee, InsuranceStates.Active, "410503", "2026-03-01", a.NameKey), a);
        Assert.Matches("^[0-9a-f]{32}$", a.NameKey!);
    }

    [Theory]
    [InlineData("职工基本医疗保险", InsuranceSchemes.Employee)]
    [InlineData("城镇职工基本医疗保险", InsuranceSchemes.Employee)]
    [InlineData("城乡居民基本医疗保险", InsuranceSchemes.Resident)]
    [InlineData("居民", InsuranceSchemes.Resident)]
    public void Long_scheme_names_map_to_the_scheme(string written, string scheme)
    {
        var row = Parser("身份证号", "险种", "行政区划", "参保状态", "姓名").Parse([People.Next().IdNumber, written, "410502", "暂停", "张三"], 2, false, out _);

        Assert.Equal(scheme, row!.Scheme);
        Assert.Equal(InsuranceStates.Suspended, row.Status);
    }

    [Fact]
    public void Excel_guarded_lowercase_and_full_width_id_numbers_key_the_same_person()
    {
        var person = People.Next();
        var withX = People.IdNumber("410502", new DateOnly(1990, 1, 1), 1); // check until one ends in X
        for (var n = 2; !withX.EndsWith('X'); n++)
            withX = People.IdNumber("410502", new DateOnly(1990, 1, 1), n);
        var parser = Parser("身份证号", "险种", "行政区划", "参保状态", "姓名");
        string Key(string field) => parser.Parse([field, "居民", "410502", "正常", "张三"], 2, false, out _)!.PersonKey;

        Assert.Equal(Hashes.PersonKey(person.IdNumber), Key("\t" + person.IdNumber));
        Assert.Equal(Hashes.PersonKey(person.IdNumber), Key("'" + person.IdNumber));
        Assert.Equal(Hashes.PersonKey(person.IdNumber), Key("=\"" + person.IdNumber + "\""));
        Assert.Equal(Hashes.PersonKey(withX), Key(withX.ToLowerInvariant()));
        Assert.Equal(Hashes.PersonKey(person.IdNumber), Key(string.Concat(person.IdNumber.Select(c => (char)(c - '0' + '０')))));
    }

    public static TheoryData<string[], bool, string> BadRows()
    {
        var id = People.Next().IdNumber;
        var badChecksum = id[..17] + (id[17] == '0' ? '1' : '0');
        return new()
        {
            { [badChecksum, "职工", "410502", "正常", "张三"], false, ErrorCodes.IdNumberChecksum },
            { [id[..16], "职工", "410502", "正常", "张三"], false, ErrorCodes.IdNumberFormat },
            { ["410502800101001", "职工", "410502", "正常", "张三"], false, ErrorCodes.IdNumberLegacy },
            { ["", "职工", "410502", "正常", "张三"], false, RosterRowErrors.IdNumberMissing },
            { [id, "职工", "410502", "正常", ""], false, RosterRowErrors.NameMissing },
            { [id, "职工", "410502", "正常", " \u3000·"], false, RosterRowErrors.NameMissing },
            { [id, "职工", "410502", "退休", "张三"], false, RosterRowErrors.UnknownStatus },
            { [id, "商业保险", "410502", "正常", "张三"], false, RosterRowErrors.UnknownScheme },
            { [id, "职工", "4105", "正常", "张三"], false, RosterRowErrors.DistrictInvalid },
            { [id, "职工", "410502", "正常"], false, RosterRowErrors.ColumnCount },
            { [id, "职工", "410502", "正常", "张三", "extra"], false, RosterRowErrors.ColumnCount },
            { [id, "职\uFFFD", "410502", "正常", "张三"], false, RosterRowErrors.Encoding },
            { [id, "职工", "410502", "正常", "张\uFFFD"], false, RosterRowErrors.Encoding },
            { [id, "职工", "410502", "正常", "张三"], true, RosterRowErrors.Malformed },
        };
    }

    [Theory]
    [MemberData(nameof(BadRows))]
    public void A_bad_row_is_reported_with_its_line_and_reason_and_yields_nothing(string[] fields, bool malformed, string reason)
    {
        var parser = Parser("身份证号", "险种", "行政区划", "参保状态", "姓名");

        var row = parser.Parse(fields, 17, malformed, out var bad);

        Assert.Null(row);
        Assert.Equal(new RosterBadRow(17, reason), bad);
        Assert.Equal(bad, parser.Check(fields, 17, malformed));
    }

    [Fact]
    public void Trailing_empty_fields_are_tolerated()
    {
        var row = Parser("身份证号", "险种", "行政区划", "参保状态", "姓名").Parse([People.Next().IdNumber, "职工", "410502", "正常", "张三", "", " "], 2, false, out _);

        Assert.NotNull(row);
    }

    [Fact]
    public void The_name_is_kept_as_a_key_that_matches_what_intake_computes_for_the_same_name_written_another_way()
    {
        var person = People.Next();
        var parser = Parser("身份证号", "险种", "行政区划", "参保状态", "姓名");

        var row = parser.Parse([person.IdNumber, "居民", "410502", "正常", $" {person.Name[0]}\u3000{person.Name[1..]}"], 2, false, out _);

        Assert.Equal(Hashes.NameKey(person.IdNumber, person.Name), row!.NameKey);
        Assert.NotEqual(Hashes.NameKey(person.IdNumber, person.Name + "华"), row.NameKey);
        Assert.NotEqual(Hashes.NameKey(People.Next().IdNumber, person.Name), row.NameKey);
        Assert.Equal(PersonName.ComparisonVersion, RosterTable.Entity(row).GetInt32(RosterTable.NameForm));
    }

    [Fact]
    public void A_header_missing_a_required_column_or_naming_one_twice_is_refused()
    {
        Assert.Null(RosterColumns.Read(["身份证号", "险种", "行政区划", "参保状态"], out var nameless));
        Assert.Equal(["姓名"], nameless!.Missing);
        Assert.Null(RosterColumns.Read(["身份证号", "姓名", "险种", "行政区划"], out var missing));
        Assert.Equal(["参保状态"], missing!.Missing);
        Assert.Null(RosterColumns.Read(["身份证号", "idNumber", "险种", "行政区划", "参保状态"], out var doubled));
        Assert.Equal(["身份证号"], doubled!.Duplicated);
    }
}
