namespace HuiminBao.WeChat;

/// <summary>WeChat <c>errcode</c> values this pipeline reacts to (from the Mini Program server API docs).</summary>
public static class WeChatErrors
{
    public const int SystemBusy = -1;
    public const int InvalidCredential = 40001;
    public const int InvalidOpenId = 40003;
    public const int InvalidLoginCode = 40029;
    public const int InvalidTemplateId = 40037;
    public const int LoginCodeUsed = 40163;
    public const int InvalidPage = 41030;
    public const int AccessTokenExpired = 42001;
    public const int QuotaReached = 45009;
    public const int FrequencyLimit = 45011;
    public const int TemplateParameterInvalid = 47003;
    public const int UserRefused = 43101;
}

/// <summary>WeChat answered with an errcode; <see cref="IsTransient"/> says whether retrying can help.</summary>
public sealed class WeChatException(int errorCode, string? errorMessage)
    : Exception($"WeChat errcode {errorCode}: {errorMessage}")
{
    public int ErrorCode { get; } = errorCode;

    public bool IsTransient => ErrorCode == WeChatErrors.SystemBusy;
}
