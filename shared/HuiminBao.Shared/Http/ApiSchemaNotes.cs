using HuiminBao.Domain;
using HuiminBao.Intake;
using HuiminBao.SignUps;

namespace HuiminBao.Http;

/// <summary>
/// What the fields of the mini-program's bodies mean, in zh-CN, and the values a string field can
/// take, for the API description's schemas. The values come from the constants the code answers
/// with, so a new status shows up here by being added there.
/// </summary>
public static class ApiSchemaNotes
{
    public sealed record Note(string Description, IReadOnlyList<string>? Values = null);

    private static readonly string[] Relations = [.. Enum.GetValues<Relation>().Select(r => r.ToWire())];

    private static readonly Dictionary<Type, Dictionary<string, Note>> Notes = new()
    {
        [typeof(SessionRequest)] = new()
        {
            ["code"] = new("wx.login 返回的 code，只能用一次"),
        },
        [typeof(SessionIssued)] = new()
        {
            ["token"] = new("会话令牌：之后的请求放在 Authorization: Bearer 请求头中"),
            ["expiresAt"] = new("令牌过期时间（2 小时后）；过期后重新登录"),
        },
        [typeof(SignUpRequest)] = new()
        {
            ["planYear"] = new("投保年度，须为当前开放的年度"),
            ["applicant"] = new("投保人"),
            ["insured"] = new("被保险人，1–8 人，身份证号不得重复；至多一位 self，且须与投保人为同一人"),
        },
        [typeof(ApplicantInput)] = new()
        {
            ["name"] = new("姓名"),
            ["idNumber"] = new("18 位居民身份证号；末位 x 可小写，可用全角数字。不支持 15 位旧号"),
            ["mobile"] = new("手机号，可带 +86、空格或短横线"),
        },
        [typeof(InsuredInput)] = new()
        {
            ["name"] = new("姓名"),
            ["idNumber"] = new("18 位居民身份证号"),
            ["relation"] = new("与投保人的关系：self 本人、spouse 配偶、child 子女、parent 父母", Relations),
        },
        [typeof(SignUpAccepted)] = new()
        {
            ["signUpId"] = new("投保申请编号"),
            ["status"] = new("受理时总是 pending", [SignUpStatus.Pending]),
        },
        [typeof(SignUpView)] = new()
        {
            ["signUpId"] = new("投保申请编号"),
            ["status"] = new("pending 核验中；enrolled 全部参保成功；partially-enrolled 部分成功；rejected 均未成功；needs-review 待人工审核",
                [SignUpStatus.Pending, SignUpStatus.Enrolled, SignUpStatus.PartiallyEnrolled, SignUpStatus.Rejected, SignUpStatus.NeedsReview]),
            ["planYear"] = new("投保年度"),
            ["acceptedAt"] = new("受理时间"),
            ["insured"] = new("每位被保险人的结果，顺序与提交时相同"),
            ["notification"] = new("结果订阅消息：pending 未发送；sent 已发送；skipped 用户未订阅；failed 发送失败",
                ["pending", NotificationStates.Sent, NotificationStates.Skipped, NotificationStates.Failed]),
        },
        [typeof(InsuredView)] = new()
        {
            ["name"] = new("姓名（脱敏，如 张*）"),
            ["idNumber"] = new("身份证号（脱敏，如 410502********1236）"),
            ["relation"] = new("与投保人的关系", Relations),
            ["outcome"] = new("pending 核验中；enrolled 参保成功；already-enrolled 本年度已参保；not-insured 无本市有效基本医疗保险；needs-review 待人工审核",
                [PersonOutcome.Pending, PersonOutcome.Enrolled, PersonOutcome.AlreadyEnrolled, PersonOutcome.NotInsured, PersonOutcome.NeedsReview]),
            ["reason"] = new("结果说明，可直接展示给用户"),
        },
        [typeof(ProblemBody)] = new()
        {
            ["type"] = new("urn:problem:huiminbao:{code}"),
            ["title"] = new("可直接展示给用户的简短说明（中文）"),
            ["status"] = new("HTTP 状态码"),
            ["detail"] = new("可直接展示给用户的详细说明（中文）；校验失败时为各字段说明"),
            ["code"] = new("稳定的机器可读代码：小程序按它判断，不会改名或复用"),
            ["errors"] = new("校验失败时逐项列出的出错字段"),
            ["traceId"] = new("请求编号，反馈问题时提供"),
        },
        [typeof(FieldError)] = new()
        {
            ["field"] = new("出错字段的 JSON 路径，如 insured[1].idNumber；整个请求体为 $"),
            ["code"] = new("稳定的字段错误代码"),
            ["message"] = new("可直接展示在该字段旁的说明（中文）"),
        },
    };

    public static Note? For(Type type, string property) =>
        Notes.TryGetValue(type, out var notes) && notes.TryGetValue(property, out var note) ? note : null;

    public static IEnumerable<Type> Described => Notes.Keys;
}
