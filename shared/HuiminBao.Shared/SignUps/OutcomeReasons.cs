using HuiminBao.Domain;

namespace HuiminBao.SignUps;

/// <summary>The zh-CN reason shown beside a person's outcome.</summary>
public static class OutcomeReasons
{
    public static string? For(string outcome) => outcome switch
    {
        PersonOutcome.Pending => "正在核验参保资格",
        PersonOutcome.Enrolled => null,
        PersonOutcome.AlreadyEnrolled => "本年度已通过其他投保申请参保，无需重复投保",
        PersonOutcome.NotInsured => "未查询到本市有效的基本医疗保险参保记录",
        PersonOutcome.NeedsReview => "需要人工审核，工作人员会尽快处理",
        _ => null,
    };
}
