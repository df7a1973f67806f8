namespace HuiminBao.WeCom;

/// <summary>The WeCom robot's <c>errcode</c> values this app acts on.</summary>
public static class WeComErrors
{
    public const int Ok = 0;

    /// <summary>System busy: try again shortly.</summary>
    public const int SystemBusy = -1;

    /// <summary>"api freq out of limit": more than 20 messages in a minute.</summary>
    public const int FrequencyLimit = 45009;

    /// <summary>"send too fast"; handled like <see cref="FrequencyLimit"/>.</summary>
    public const int SendTooFast = 130101;

    /// <summary>"invalid webhook url": the key is wrong or the robot was removed from the group.</summary>
    public const int InvalidWebhook = 93000;

    /// <summary>The markdown content is over 4096 bytes.</summary>
    public const int ContentTooLong = 40058;

    public static bool IsRateLimit(int errcode) => errcode is FrequencyLimit or SendTooFast;
}
