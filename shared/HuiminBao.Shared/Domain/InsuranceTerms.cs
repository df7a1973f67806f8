using System.Collections.Frozen;

namespace HuiminBao.Domain;

/// <summary>
/// The words the 医保 bureau uses for schemes and states, in its CSV exports and its HTTP service,
/// mapped to <see cref="InsuranceSchemes"/> and <see cref="InsuranceStates"/>. Bureau systems differ
/// by city and by year, so the short forms, the official long names and the older 城镇 names all map.
/// </summary>
public static class InsuranceTerms
{
    private static readonly FrozenDictionary<string, string> Schemes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["职工"] = InsuranceSchemes.Employee,
        ["职工医保"] = InsuranceSchemes.Employee,
        ["职工基本医疗保险"] = InsuranceSchemes.Employee,
        ["城镇职工基本医疗保险"] = InsuranceSchemes.Employee,
        ["employee"] = InsuranceSchemes.Employee,
        ["居民"] = InsuranceSchemes.Resident,
        ["居民医保"] = InsuranceSchemes.Resident,
        ["城乡居民"] = InsuranceSchemes.Resident,
        ["城乡居民医保"] = InsuranceSchemes.Resident,
        ["城乡居民基本医疗保险"] = InsuranceSchemes.Resident,
        // Merged into 城乡居民 by 2019; old exports still carry it.
        ["城镇居民基本医疗保险"] = InsuranceSchemes.Resident,
        ["resident"] = InsuranceSchemes.Resident,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, string> States = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["正常"] = InsuranceStates.Active,
        ["正常参保"] = InsuranceStates.Active,
        ["参保缴费"] = InsuranceStates.Active,
        ["active"] = InsuranceStates.Active,
        ["暂停"] = InsuranceStates.Suspended,
        ["暂停参保"] = InsuranceStates.Suspended,
        ["暂停缴费"] = InsuranceStates.Suspended,
        ["suspended"] = InsuranceStates.Suspended,
        ["终止"] = InsuranceStates.Terminated,
        ["终止参保"] = InsuranceStates.Terminated,
        ["terminated"] = InsuranceStates.Terminated,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    public static string? Scheme(string? term) => term is null ? null : Schemes.GetValueOrDefault(term.Trim());

    public static string? State(string? term) => term is null ? null : States.GetValueOrDefault(term.Trim());

    /// <summary>A county-level administrative division code: six digits, not all zero.</summary>
    public static bool IsDistrictCode(ReadOnlySpan<char> code) =>
        code.Length == 6 && !code.ContainsAnyExceptInRange('0', '9') && code is not "000000";
}
