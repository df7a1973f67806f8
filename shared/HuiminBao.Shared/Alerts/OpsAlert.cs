namespace HuiminBao.Alerts;

/// <param name="Kind">One of <see cref="OpsAlertKinds"/>; alerts of a kind are coalesced.</param>
/// <param name="Text">zh-CN text for the ops group; never personal data.</param>
public sealed record OpsAlert(string Kind, string Text);
