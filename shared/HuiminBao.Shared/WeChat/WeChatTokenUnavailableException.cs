namespace HuiminBao.WeChat;

/// <summary>
/// No usable access token right now: WeChat refused the current one and another force refresh is not
/// allowed yet (or another instance is doing it). Transient: a later delivery will find the new token.
/// </summary>
public sealed class WeChatTokenUnavailableException(string message) : Exception(message);
