using Azure;
using Azure.Data.Tables;

namespace HuiminBao.WeChat;

/// <summary>
/// The mini-program's current access token in <c>opsstate</c>, shared by every instance so a scale-out
/// doesn't mean one <c>stable_token</c> call per instance. The token is sealed (it is a credential), and
/// <see cref="LastForcedAt"/> lets instances agree not to force-refresh more often than WeChat allows.
/// </summary>
public sealed class AccessTokenRow : ITableEntity
{
    public const string Partition = "wechat-access-token";

    public string PartitionKey { get; set; } = Partition;

    /// <summary>The AppId, so a change of app never uses the old app's token.</summary>
    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary>Empty while a force refresh has been claimed but its token is not stored yet.</summary>
    public string SealedToken { get; set; } = "";

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset FetchedAt { get; set; }

    public DateTimeOffset? LastForcedAt { get; set; }
}
