using System.Text.Json;

namespace HuiminBao.Tests.Infrastructure;

/// <summary>Synthetic people with valid ID numbers, and sign-up bodies for them.</summary>
public static class People
{
    private static int _sequence;

    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭"];
    private static readonly string[] Given = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞"];

    /// <summary>A valid 18-character ID number for the region, birth date and sequence.</summary>
    public static string IdNumber(string region, DateOnly birth, int sequence)
    {
        var first17 = $"{region}{birth:yyyyMMdd}{sequence % 1000:000}";
        return first17 + HuiminBao.Domain.IdNumber.CheckCharacter(first17);
    }

    public static Person Next(string region = "410502", int? birthYear = null)
    {
        var n = Interlocked.Increment(ref _sequence);
        var birth = new DateOnly(birthYear ?? 1950 + n % 60, 1 + n % 12, 1 + n % 28);
        var name = Surnames[n % Surnames.Length] + Given[n / Surnames.Length % Given.Length] + (n / 320 % 2 == 0 ? "" : "华");
        var mobile = $"13{n % 10}{n / 10 % 100000000:00000000}";
        return new Person(name, IdNumber(region, birth, n), mobile.PadRight(11, '0')[..11]);
    }

    /// <summary>The privacy-notice version the test hosts accept (<c>Privacy:ConsentVersions</c>), as the local host's development settings do.</summary>
    public const string Consent = "2026-01";

    public static string SignUpJson(int planYear, Person applicant, params (Person Person, string Relation)[] insured) =>
        JsonSerializer.Serialize(new
        {
            planYear,
            applicant = new { name = applicant.Name, idNumber = applicant.IdNumber, mobile = applicant.Mobile },
            insured = insured.Select(i => new { name = i.Person.Name, idNumber = i.Person.IdNumber, relation = i.Relation }),
            consent = Consent,
        });

    /// <summary>A household of one: the applicant insures themself.</summary>
    public static string SelfSignUp(int planYear, Person person) => SignUpJson(planYear, person, (person, "self"));
}

public sealed record Person(string Name, string IdNumber, string Mobile);
