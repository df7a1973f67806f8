using HuiminBao.Alerts;
using HuiminBao.WeChat;

namespace HuiminBao.Notifications;

/// <summary>What ops are told when notifications can't go out: which setting to look at, never personal data.</summary>
public static class NotificationAlerts
{
    public static string Reason(int errorCode) => errorCode switch
    {
        WeChatErrors.InvalidOpenId => "invalid openid",
        WeChatErrors.InvalidTemplateId => "invalid template_id",
        WeChatErrors.TemplateParameterInvalid => "invalid template data",
        WeChatErrors.InvalidPage => "invalid page",
        _ => $"errcode {errorCode}",
    };

    public static OpsAlert Refused(string signUpId, int errorCode) => new(OpsAlertKinds.NotificationConfiguration, errorCode switch
    {
        WeChatErrors.InvalidTemplateId => $"微信订阅消息模板 ID 无效（40037），请检查 Notifications:TemplateId。投保申请 {signUpId} 的通知未发送。",
        WeChatErrors.TemplateParameterInvalid => $"微信订阅消息参数无效（47003），请检查 Notifications:Fields 与模板字段是否一致。投保申请 {signUpId} 的通知未发送。",
        WeChatErrors.InvalidPage => $"小程序页面路径无效（41030），请检查 Notifications:Page 与 Notifications:MiniProgramState。投保申请 {signUpId} 的通知未发送。",
        WeChatErrors.InvalidOpenId => $"申请人 openid 无效（40003），请检查 WeChat:AppId 是否与小程序一致。投保申请 {signUpId} 的通知未发送。",
        _ => $"微信拒绝发送订阅消息（{errorCode}）。投保申请 {signUpId} 的通知未发送。",
    });

    public static OpsAlert QuotaReached() => new(OpsAlertKinds.NotificationConfiguration,
        "微信订阅消息已达今日调用上限（45009），通知将稍后自动重发；如需尽快恢复，可在微信公众平台清零调用次数。");

    public static OpsAlert QuotaGaveUp(string signUpId) => new(OpsAlertKinds.NotificationConfiguration,
        $"微信订阅消息调用上限（45009）持续未恢复，投保申请 {signUpId} 的通知已放弃发送。");

    public static OpsAlert TokenRefused(int errorCode) => new(OpsAlertKinds.NotificationConfiguration,
        $"获取微信 access_token 失败（{errorCode}），请检查 WeChat:AppId、WeChat:AppSecret 与接口 IP 白名单。订阅消息暂停发送。");

    public static OpsAlert Poisoned(string signUpId, string state) => new(OpsAlertKinds.NotificationConfiguration,
        $"投保申请 {signUpId} 的微信通知多次发送失败，已停止重试（{state}），请查看日志。");
}
