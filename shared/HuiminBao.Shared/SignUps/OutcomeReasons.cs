using HuiminBao.Domain;

namespace HuiminBao.SignUps;

/// <summary>Why a person got the outcome they got: a stable code stored with the outcome, and its zh-CN text.</summary>
public static class OutcomeReasons
{
    public const string NotOnRoster = "not-on-roster";
    public const string Suspended = "insurance-suspended";
    public const string Terminated = "insurance-terminated";
    public const string EnrolledElsewhere = "enrolled-elsewhere";
    public const string Poisoned = "processing-failed";

    public static string? Text(string outcome, string? reason) => reason switch
    {
        NotOnRoster => "未查询到本市有效的基本医疗保险参保记录",
        Suspended => "基本医疗保险处于暂停状态",
        Terminated => "基本医疗保险已终止",
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
