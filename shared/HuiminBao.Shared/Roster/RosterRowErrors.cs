using System.Collections.Frozen;
using HuiminBao.Domain;

namespace HuiminBao.Roster;

/// <summary>Why a roster row was skipped: stable codes, with the zh-CN text ops read in reports.</summary>
public static class RosterRowErrors
{
    /// <summary>Fewer fields than the header's required columns, or extra non-empty ones (an unquoted comma).</summary>
    public const string ColumnCount = "column-count";
    public const string Malformed = "malformed-csv";
    public const string Encoding = "encoding";
    public const string IdNumberMissing = "id-number-missing";
    public const string NameMissing = "name-missing";
    public const string UnknownScheme = "unknown-scheme";
    public const string UnknownStatus = "unknown-status";
    public const string DistrictInvalid = "district-invalid";

    private static readonly FrozenDictionary<string, string> Messages = new Dictionary<string, string>
    {
        [ColumnCount] = "列数与表头不符",
        [Malformed] = "引号不成对或行过长",
        [Encoding] = "含有无法识别的字符（编码错误）",
        [IdNumberMissing] = "缺少身份证号",
        [NameMissing] = "缺少姓名",
        [ErrorCodes.IdNumberFormat] = "身份证号格式不正确",
        [ErrorCodes.IdNumberLegacy] = "15 位旧版身份证号",
        [ErrorCodes.IdNumberChecksum] = "身份证号校验位不正确",
        [ErrorCodes.IdNumberBirthDate] = "身份证号中的出生日期无效",
        [ErrorCodes.IdNumberBirthDateFuture] = "身份证号中的出生日期晚于今天",
        [UnknownScheme] = "险种无法识别（应为 职工 或 居民）",
        [UnknownStatus] = "参保状态无法识别（应为 正常、暂停 或 终止）",
        [DistrictInvalid] = "行政区划代码应为 6 位数字",
    }.ToFrozenDictionary();

    public static string Describe(string code) => Messages.GetValueOrDefault(code, code);
}
