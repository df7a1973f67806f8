using System.ComponentModel.DataAnnotations;

namespace HuiminBao.WeCom;

/// <summary>The ops group's WeCom robot (<c>WeCom:*</c>). An empty webhook means reports and alerts are logged only.</summary>
public sealed class WeComOptions : IValidatableObject
{
    public const string Section = "WeCom";

    /// <summary>The robot's webhook, <c>https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…</c>. The key makes it a secret: never logged.</summary>
    public string WebhookUrl { get; set; } = "";

    /// <summary>WeCom allows a robot 20 messages a minute; this app's instances share the budget through storage.</summary>
    [Range(1, 20)]
    public int MessagesPerMinute { get; set; } = 20;

    /// <summary>Alerts of one kind raised within this long of the last message of that kind are merged into the next one.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan AlertWindow { get; set; } = TimeSpan.FromMinutes(1);

    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    public bool Enabled => !string.IsNullOrWhiteSpace(WebhookUrl);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Enabled && !(Uri.TryCreate(WebhookUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)))
            yield return new ValidationResult("WeCom:WebhookUrl must be empty or an absolute http(s) URL.", [nameof(WebhookUrl)]);
    }
}
