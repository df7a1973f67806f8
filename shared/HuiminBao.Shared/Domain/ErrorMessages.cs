using System.Collections.Frozen;

namespace HuiminBao.Domain;

/// <summary>The zh-CN text shown for each code.</summary>
public static class ErrorMessages
{
    private static readonly FrozenDictionary<string, string> Messages = new Dictionary<string, string>
    {
        [ErrorCodes.ValidationFailed] = "提交的信息有误，请检查后重新提交",
        [ErrorCodes.MalformedJson] = "请求内容不是有效的 JSON",
        [ErrorCodes.BodyTooLarge] = "请求内容过大",
        [ErrorCodes.UnsupportedMediaType] = "请求内容类型须为 application/json",
        [ErrorCodes.Required] = "此项为必填项",
        [ErrorCodes.WrongType] = "此项的数据类型不正确",
        [ErrorCodes.UnknownField] = "包含无法识别的字段",
        [ErrorCodes.DuplicateField] = "同一字段出现了多次",
        [ErrorCodes.TooLong] = "此项内容过长",
        [ErrorCodes.IdNumberFormat] = "身份证号格式不正确，应为 18 位",
        [ErrorCodes.IdNumberLegacy] = "不支持 15 位旧版身份证号，请使用 18 位身份证号",
        [ErrorCodes.IdNumberChecksum] = "身份证号校验位不正确，请核对",
        [ErrorCodes.IdNumberBirthDate] = "身份证号中的出生日期无效",
        [ErrorCodes.IdNumberBirthDateFuture] = "身份证号中的出生日期晚于今天",
        [ErrorCodes.IdNumberDuplicate] = "同一身份证号在本次投保中重复出现",
        [ErrorCodes.MobileInvalid] = "手机号格式不正确",
        [ErrorCodes.NameInvalid] = "姓名格式不正确",
        [ErrorCodes.RelationInvalid] = "与投保人关系须为本人、配偶、子女或父母",
        [ErrorCodes.SelfMoreThanOne] = "被保险人中最多只能有一位“本人”",
        [ErrorCodes.SelfMismatch] = "关系为“本人”的被保险人须与投保人为同一人",
        [ErrorCodes.HouseholdEmpty] = "请至少添加一位被保险人",
        [ErrorCodes.HouseholdTooLarge] = "一次最多为 8 位被保险人投保",
        [ErrorCodes.PlanYearMismatch] = "投保年度不在当前开放的年度内",
        [ErrorCodes.EnrollmentNotOpen] = "本年度投保尚未开始",
        [ErrorCodes.EnrollmentClosed] = "本年度投保已结束",
        [ErrorCodes.ConsentRequired] = "请阅读并同意《个人信息授权书》后再提交",
        [ErrorCodes.ConsentVersionUnknown] = "《个人信息授权书》已更新，请阅读并同意最新版本后再提交",
        [ErrorCodes.TokenMissing] = "请先登录",
        [ErrorCodes.TokenInvalid] = "登录状态无效，请重新登录",
        [ErrorCodes.TokenExpired] = "登录已过期，请重新登录",
        [ErrorCodes.LoginCodeInvalid] = "登录凭证无效，请重新登录",
        [ErrorCodes.LoginCodeUsed] = "登录凭证已被使用，请重新登录",
        [ErrorCodes.WeChatRateLimited] = "登录过于频繁，请稍后再试",
        [ErrorCodes.WeChatUnavailable] = "微信服务繁忙，请稍后再试",
        [ErrorCodes.WeChatLoginFailed] = "微信登录失败，请稍后重试",
        [ErrorCodes.RateLimited] = "操作过于频繁，请稍后再试",
        [ErrorCodes.NotFound] = "未找到该投保记录",
        [ErrorCodes.OpsKeyRequired] = "缺少或错误的运营访问密钥",
        [ErrorCodes.Erased] = "该投保申请中的个人信息已按规定删除，无法再查看",
        [ErrorCodes.ContinuationInvalid] = "continuation 参数无效，请使用上一次返回的值，或不带该参数重新开始",
        [ErrorCodes.ResealLimitInvalid] = "limit 应为 1 到 1000 之间的整数",
        [ErrorCodes.TallyDateInvalid] = "日期格式应为 yyyy-MM-dd，例如 2026-03-06",
        [ErrorCodes.TallyRangeInverted] = "开始日期不能晚于结束日期",
        [ErrorCodes.TallyRangeTooLong] = "一次最多查询 1000 天，请缩短日期范围",
        [ErrorCodes.DateInvalid] = "日期格式应为 yyyy-MM-dd，例如 2026-03-06",
        [ErrorCodes.DateRangeInverted] = "开始日期不能晚于结束日期",
        [ErrorCodes.AuditRangeTooLong] = "操作记录一次最多查询 31 天，请缩短日期范围",
        [ErrorCodes.OpsSessionRequired] = "看板会话已过期或不存在，请重新打开带运营密钥的看板链接",
        [ErrorCodes.PlanYearInvalid] = "投保年度应为 2000 到 2100 之间的年份",
        [ErrorCodes.IdempotencyKeyInvalid] = "Idempotency-Key 须为 1 到 64 位字母、数字或 -_:.",
        [ErrorCodes.IdempotencyKeyReused] = "该 Idempotency-Key 已用于另一份不同的投保申请",
        [ErrorCodes.StorageUnavailable] = "系统繁忙，请稍后重试",
        [ErrorCodes.InternalError] = "系统出错了，请稍后重试",
    }.ToFrozenDictionary();

    public static string For(string code) => Messages.TryGetValue(code, out var text) ? text : code;

    public static IEnumerable<string> KnownCodes => Messages.Keys;
}
