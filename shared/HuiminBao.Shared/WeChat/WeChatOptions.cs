using System.ComponentModel.DataAnnotations;

namespace HuiminBao.WeChat;

/// <summary>The mini-program's WeChat API settings (<c>WeChat:*</c>).</summary>
public sealed class WeChatOptions
{
    public const string Section = "WeChat";

    [Required, Url]
    public string BaseUrl { get; set; } = "https://api.weixin.qq.com";

    [Required]
    public string AppId { get; set; } = "";

    [Required]
    public string AppSecret { get; set; } = "";

    /// <summary>Per attempt; WeChat answers in well under a second when healthy.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);
}
