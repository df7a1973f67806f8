using System.Globalization;
using HuiminBao.Domain;
using HuiminBao.SignUps;
using HuiminBao.WeChat;
using Microsoft.Extensions.Options;

namespace HuiminBao.Notifications;

/// <summary>
/// What the applicant reads: the outcome (参保成功 / 部分成功 / 未通过), the insured persons' masked names,
/// the plan year and why anyone was not enrolled, each under the template key configuration names and
/// cut to that key's WeChat length limit.
/// </summary>
public sealed class NotificationContent(IOptions<NotificationOptions> options)
{
    public SubscribeMessage Compose(NotificationQueued notification)
    {
        // The message tells no more than the status page does.
        notification = notification with { Persons = [.. notification.Persons.Select(Disclosed)] };
        var settings = options.Value;
        var fields = settings.Fields;
        var data = new Dictionary<string, SubscribeValue>(StringComparer.Ordinal);
        Put(data, fields.Outcome, _ => OutcomeText(notification.Status));
        Put(data, fields.Insured, type => type.FitList([.. notification.Persons.Select(p => p.MaskedName)]));
        Put(data, fields.PlanYear, type => type.Prefix == "thing"
            ? $"{notification.PlanYear.ToString(CultureInfo.InvariantCulture)}年度"
            : notification.PlanYear.ToString(CultureInfo.InvariantCulture));
        Put(data, fields.Remark, type => Remark(notification, type));

        return new SubscribeMessage(
            notification.OpenId,
            settings.TemplateId,
            settings.Page.Replace(NotificationOptions.SignUpIdPlaceholder, Uri.EscapeDataString(notification.SignUpId), StringComparison.Ordinal),
            settings.MiniProgramState,
            settings.Lang,
            data);
    }

    public static string OutcomeText(string status) => status switch
    {
        SignUpStatus.Enrolled => "参保成功",
        SignUpStatus.PartiallyEnrolled => "部分成功",
        SignUpStatus.Rejected => "未通过",
        SignUpStatus.NeedsReview => "人工审核",
        _ => "已受理",
    };

    /// <summary>
    /// Short forms of <see cref="OutcomeReasons"/> for a 20-character field: the status page in the
    /// mini-program has the full text, the message only needs to say enough to make someone tap it.
    /// </summary>
    public static string ShortReason(string outcome, string? reason) => reason switch
    {
        OutcomeReasons.NotOnRoster => "未查到本市基本医保参保记录",
        OutcomeReasons.Suspended => "基本医保处于暂停状态",
        OutcomeReasons.Terminated => "基本医保已终止",
        OutcomeReasons.NotVerified => "请核对姓名和身份证号",
        OutcomeReasons.NameMismatch => "姓名与身份证号不符",
        OutcomeReasons.EnrolledElsewhere => "本年度已参保，无需重复投保",
        OutcomeReasons.Poisoned => "需人工审核",
        _ => OutcomeReasons.Text(outcome, reason) ?? "详情请在小程序内查看",
    };

    private static string Remark(NotificationQueued notification, SubscribeFieldType type)
    {
        var notEnrolled = notification.Persons.Where(p => p.Outcome != PersonOutcome.Enrolled).ToList();
        if (notification.Status == SignUpStatus.NeedsReview)
            return type.Fit("需人工审核，请留意后续通知");
        if (notEnrolled.Count == 0)
            return type.Fit("保障详情请在小程序内查看");

        var reasons = notEnrolled.Select(p => ShortReason(p.Outcome, p.Reason)).Distinct(StringComparer.Ordinal).ToList();
        if (reasons.Count > 1)
            return type.Fit($"{notEnrolled.Count}人未通过，点击查看原因");
        var who = notEnrolled.Count == 1 ? notEnrolled[0].MaskedName : $"{notEnrolled[0].MaskedName}等{notEnrolled.Count}人";
        var text = $"{who}：{reasons[0]}";
        // Rather drop the names than cut the reason: the reason is what the applicant needs.
        return SubscribeFieldType.Length(text) <= type.MaxLength ? text : type.Fit(reasons[0]);
    }

    private static NotifiedPerson Disclosed(NotifiedPerson person)
    {
        var (outcome, reason) = OutcomeDisclosure.For(person.Relation, person.Outcome, person.Reason);
        return person with { Outcome = outcome, Reason = reason };
    }

    private static void Put(Dictionary<string, SubscribeValue> data, string key, Func<SubscribeFieldType, string> value)
    {
        key = key.Trim();
        if (key.Length == 0)
            return;
        var type = SubscribeFieldType.Of(key);
        data[key] = new SubscribeValue(type.Fit(value(type)));
    }
}
