using System.Collections.Frozen;

namespace HuiminBao.Domain;

/// <summary>
/// Display names for the city's district codes (行政区划), as ops read them on the dashboard and in
/// the daily report. Counting never depends on this table: the roster decides a person's district,
/// and a code missing here is shown as the code itself.
/// </summary>
public static class Districts
{
    public const string Unknown = "000000";

    /// <summary>Anyang's districts, in the order the city lists them.</summary>
    public static readonly IReadOnlyList<(string Code, string Name)> Known =
    [
        ("410502", "文峰区"),
        ("410503", "北关区"),
        ("410505", "殷都区"),
        ("410506", "龙安区"),
        ("410522", "安阳县"),
        ("410523", "汤阴县"),
        ("410526", "滑县"),
        ("410527", "内黄县"),
        ("410571", "高新区"),
        ("410581", "林州市"),
    ];

    private static readonly FrozenDictionary<string, string> Names = Known.ToFrozenDictionary(d => d.Code, d => d.Name, StringComparer.Ordinal);

    public static string NameOf(string code) =>
        Names.TryGetValue(code, out var name) ? name
        : code == Unknown ? "未知区县"
        : code;
}
