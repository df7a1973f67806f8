using HuiminBao.Alerts;

namespace HuiminBao.Reviews;

/// <summary>What ops are told about sign-ups that need them: the sign-up id, never personal data.</summary>
public static class ReviewAlerts
{
    public static OpsAlert Poisoned(string signUpId) => new(OpsAlertKinds.SignUpPoisoned, $"投保申请 {signUpId} 多次处理失败，已转人工审核");
}
