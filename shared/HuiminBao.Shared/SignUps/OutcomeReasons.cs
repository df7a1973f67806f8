using HuiminBao.Domain;

namespace HuiminBao.SignUps;

/// <summary>
/// Why a person got the outcome they got: a stable code stored with the outcome, and its zh-CN text.
/// What the applicant is shown of them is <see cref="OutcomeDisclosure"/>'s choice.
/// </summary>
public static class OutcomeReasons
{
    public const string NotOnRoster = "not-on-roster";
    public const string Suspended = "insurance-suspended";
    public const string Terminated = "insurance-terminated";
    public const string NameMismatch = "name-mismatch";
    public const string EnrolledElsewhere = "enrolled-elsewhere";
    public const string Poisoned = "processing-failed";

    /// <summary>
    /// Never stored: what the applicant is told for anyone whose name and ID number did not verify
    /// against an active record, whichever of not on record, another name on record, or insurance
    /// not active it was (<see cref="OutcomeDisclosure"/>).
    /// </summary>
    public const string NotVerified = "not-verified";

    public static string? Text(string outcome, string? reason) => reason switch
    {
        NotOnRoster => "未查询到本市有效的基本医疗保险参保记录",
        Suspended => "基本医疗保险处于暂停状态",
        Terminated => "基本医疗保险已终止",
        NameMismatch => "姓名与该身份证号的基本医疗保险登记信息不一致",
        NotVerified => "未查询到与所填姓名、身份证号相符的本市有效基本医疗保险参保记录。请核对姓名和身份证号，如填写无误，请先在本市参加基本医疗保险",
        EnrolledElsewhere => "本年度已通过其他投保申请参保，无需重复投保",
        Poisoned => "需要人工审核，工作人员会尽快处理",
        _ => outcome switch
        {
            PersonOutcome.Pending => "正在核验参保资格",
            PersonOutcome.NeedsReview => "需要人工审核，工作人员会尽快处理",
            _ => null,
        },
    };
}
