using Azure;
using Azure.Data.Tables;

namespace HuiminBao.SignUps;

/// <summary>
/// A sign-up's notification, stored beside its record (same partition of <c>signups</c>, row
/// <c>notification</c>) so the status query reads both in one call. Its insertion is the claim that
/// makes one delivery, and only one, the sender (the notification stage's ledger).
/// </summary>
public sealed class NotificationRecord : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    /// <summary>One of <see cref="NotificationStates"/>.</summary>
    public string State { get; set; } = NotificationStates.Sending;

    /// <summary>WeChat's errcode for the last answer that wasn't a success, or the HTTP status.</summary>
    public int? ErrorCode { get; set; }

    /// <summary>Why it ended or waits the way it does, in words ops can read (never personal data).</summary>
    public string? Reason { get; set; }

    /// <summary>WeChat's id for the accepted message.</summary>
    public long? MsgId { get; set; }

    /// <summary>Sends attempted (claims taken): one unless earlier attempts were known to fail.</summary>
    public int Attempts { get; set; }

    /// <summary>Times the notification was put off because WeChat's daily quota was reached (45009).</summary>
    public int QuotaDeferrals { get; set; }

    /// <summary>The queue message whose delivery holds the claim.</summary>
    public string? ClaimedBy { get; set; }

    public DateTimeOffset? ClaimedAt { get; set; }

    public DateTimeOffset? SettledAt { get; set; }

    public string SignUpId => SignUps.SignUpKeys.SignUpIdOf(RowKey);

    public static NotificationRecord For(string signUpId) => new() { PartitionKey = SignUps.SignUpKeys.Partition(signUpId), RowKey = SignUps.SignUpKeys.NotificationRow(signUpId) };
}

public static class NotificationStates
{
    /// <summary>Claimed by a delivery that is sending (or died sending: then it becomes <see cref="Unconfirmed"/>).</summary>
    public const string Sending = "sending";

    /// <summary>Known not delivered (busy, 5xx, quota); the claim is released and a later delivery may send.</summary>
    public const string Retry = "retry";

    public const string Sent = "sent";

    /// <summary>The applicant did not subscribe, or used up their subscription (43101).</summary>
    public const string Skipped = "skipped";

    public const string Failed = "failed";

    /// <summary>A delivery died after claiming: WeChat may or may not have the message. Not sent again.</summary>
    public const string Unconfirmed = "unconfirmed";

    /// <summary>The sign-up's personal data was erased: nothing may be sent for it any more.</summary>
    public const string Erased = "erased";

    public static bool IsSettled(string state) => state is Sent or Skipped or Failed or Unconfirmed or Erased;

    /// <summary>
    /// What <c>GET /api/signups/{id}</c> shows: <c>pending</c>, <c>sent</c>, <c>skipped</c> or <c>failed</c>.
    /// Unconfirmed reads as failed: delivery can't be vouched for, and the status page has everything anyway.
    /// </summary>
    public static string ToView(string? state) => state switch
    {
        Sent => Sent,
        Skipped => Skipped,
        Failed or Unconfirmed => Failed,
        _ => "pending",
    };
}
