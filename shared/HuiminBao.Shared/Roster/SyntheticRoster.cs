using System.Globalization;
using HuiminBao.Domain;

namespace HuiminBao.Roster;

/// <summary>
/// A realistic synthetic roster for Anyang, for tests, benchmarks and the local walk-through: valid
/// ID numbers (GB 11643 check characters), Anyang district codes, 职工 and 居民 by age, about 5% 暂停
/// and 1% 终止. The same seed gives the same people, and the first N people of a longer roster are the
/// N people of a shorter one. No ID number repeats, at any size up to 31 million.
/// </summary>
public sealed class SyntheticRoster(int seed = 2022)
{
    public static readonly IReadOnlyList<(string Code, string Name, int Weight)> Districts =
    [
        ("410502", "文峰区", 12), ("410503", "北关区", 8), ("410505", "殷都区", 10), ("410506", "龙安区", 6),
        ("410522", "安阳县", 14), ("410523", "汤阴县", 10), ("410526", "滑县", 16), ("410527", "内黄县", 10),
        ("410571", "高新区", 4), ("410581", "林州市", 12),
    ];

    /// <summary>Where people on the roster were born and issued their ID when not in Anyang: 郑州, 洛阳, 鹤壁, 新乡, 邯郸, 聊城.</summary>
    private static readonly string[] ElsewhereRegions = ["410102", "410305", "410602", "410702", "130402", "371502"];

    private static readonly string[] Surnames =
    [
        "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗",
        "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧", "程", "曹", "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕",
        "苏", "卢", "蒋", "蔡", "贾", "丁", "魏", "薛", "叶", "阎", "申", "牛", "靳", "路", "常", "欧阳", "司马",
    ];

    private static readonly string[] GivenParts =
    [
        "伟", "芳", "娜", "秀", "英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "兰",
        "霞", "平", "刚", "桂", "红", "玉", "华", "建", "国", "文", "辉", "鹏", "宇", "浩", "欣", "怡", "梓", "涵", "晨", "子",
        "振", "海", "燕", "萍", "春", "志", "永", "新", "利", "金",
    ];

    private static readonly DateOnly FirstBirth = new(1940, 1, 1);
    private static readonly int BirthDays = new DateOnly(2024, 12, 31).DayNumber - FirstBirth.DayNumber + 1;

    /// <summary>The first <paramref name="count"/> people, in file order.</summary>
    public IEnumerable<SyntheticPerson> People(long count)
    {
        var random = new Random(seed);
        var districtTotal = Districts.Sum(d => d.Weight);
        for (long i = 0; i < count; i++)
        {
            var district = Pick(random.Next(districtTotal));
            var region = random.Next(100) switch
            {
                < 85 => district,
                < 95 => Districts[random.Next(Districts.Count)].Code,
                _ => ElsewhereRegions[random.Next(ElsewhereRegions.Length)],
            };
            var birth = BirthOf(i);
            var age = 2025 - birth.Year;
            var employeeChance = age switch { < 18 => 0, <= 60 => 45, _ => 30 };
            var scheme = random.Next(100) < employeeChance ? "职工" : "居民";
            var status = random.Next(100) switch { 0 => "终止", < 6 => "暂停", _ => "正常" };
            var name = Surnames[random.Next(Surnames.Length)] + GivenParts[random.Next(GivenParts.Length)]
                + (random.Next(100) < 70 ? GivenParts[random.Next(GivenParts.Length)] : "");
            yield return new SyntheticPerson(IdNumberOf(region, birth, Sequence(i, birth)), name, scheme, district, status);
        }
    }

    /// <summary>
    /// A person with a valid ID number who is on no roster this class makes (born before any of them),
    /// for showing the not-insured outcome.
    /// </summary>
    public static SyntheticPerson Outsider(int n = 0)
    {
        var birth = new DateOnly(1935, 1, 1).AddDays(n % 1800);
        return new SyntheticPerson(IdNumberOf("410502", birth, (n / 1800) % 1000), "韩" + GivenParts[n % GivenParts.Length], "居民", "410502", "正常");
    }

    /// <summary>
    /// Row i's birth date and sequence number are chosen so no two rows share both: within each block
    /// of <see cref="BirthDays"/> rows the dates are a permutation; across blocks the sequence differs.
    /// </summary>
    private static DateOnly BirthOf(long i)
    {
        long block = i / BirthDays, within = i % BirthDays;
        // 7919 is prime and does not divide the day count, so i -> day is a bijection within a block.
        var day = (within * 7919 + block * 104_729) % BirthDays;
        return FirstBirth.AddDays((int)day);
    }

    private int Sequence(long i, DateOnly birth)
    {
        var block = i / BirthDays;
        if (block >= 1000)
            throw new InvalidOperationException("A synthetic roster holds at most 31 million people.");
        var spread = (int)(Mix((uint)seed, (uint)birth.DayNumber) % 1000);
        return (int)((block + spread) % 1000);
    }

    /// <summary>A fixed integer mix (HashCode is randomised per process, and the roster must not be).</summary>
    private static uint Mix(uint a, uint b)
    {
        var x = a * 0x9E3779B1u ^ b * 0x85EBCA77u;
        x ^= x >> 15;
        x *= 0x2C1B3C6Du;
        return x ^ (x >> 12);
    }

    private static string IdNumberOf(string region, DateOnly birth, int sequence)
    {
        var first17 = string.Create(CultureInfo.InvariantCulture, $"{region}{birth:yyyyMMdd}{sequence:000}");
        return first17 + IdNumber.CheckCharacter(first17);
    }

    private static string Pick(int ticket)
    {
        foreach (var (code, _, weight) in Districts)
        {
            if (ticket < weight)
                return code;
            ticket -= weight;
        }
        return Districts[^1].Code;
    }
}

/// <summary>A synthetic person as the bureau's file shows them: 职工/居民 and 正常/暂停/终止.</summary>
public sealed record SyntheticPerson(string IdNumber, string Name, string Scheme, string District, string Status)
{
    public bool IsActive => Status == "正常";
}
