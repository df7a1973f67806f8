using System.Runtime.Serialization;
using Azure;
using Azure.Data.Tables;

namespace HuiminBao.SignUps;

/// <summary>
/// A sign-up as stored in the <c>signups</c> table (keys: <see cref="SignUpKeys"/>). Personal data is only
/// in <see cref="Sealed"/> (AES-GCM); people are otherwise known by their person keys.
/// </summary>
public sealed class SignUpRecord : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string OwnerKey { get; set; } = "";
    public int PlanYear { get; set; }
    public string Status { get; set; } = "";
    public DateTimeOffset AcceptedAt { get; set; }
    public string Fingerprint { get; set; } = "";

    /// <summary>Applicant, insured and openid, sealed with the sign-up id as associated data.</summary>
    public string Sealed { get; set; } = "";

    /// <summary>JSON array of <see cref="PersonState"/>: person key, relation and, once decided, outcome.</summary>
    public string Persons { get; set; } = "[]";

    /// <summary>True once the <c>signups</c> message is known to be on the queue.</summary>
    public bool Queued { get; set; }

    /// <summary>When a request last took on the job of enqueueing (intake's claim protocol).</summary>
    public DateTimeOffset? EnqueueClaimedAt { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    /// <summary>The privacy-notice version the applicant accepted (<c>consent</c>), kept after erasure as the record of it.</summary>
    public string? ConsentVersion { get; set; }

    /// <summary>Server time the consent was given: when the sign-up was accepted.</summary>
    public DateTimeOffset? ConsentedAt { get; set; }

    /// <summary>Insured persons under 14 the applicant consented for as guardian.</summary>
    public int? ConsentGuardianFor { get; set; }

    /// <summary>When the personal data was erased (<see cref="Erasure"/> says why); null while it is kept.</summary>
    public DateTimeOffset? ErasedAt { get; set; }

    /// <summary><see cref="Erasures.Request"/> or <see cref="Erasures.Retention"/>.</summary>
    public string? Erasure { get; set; }

    public string SignUpId => RowKey;

    /// <summary>Derived, so not a column of its own.</summary>
    [IgnoreDataMember]
    public bool IsErased => ErasedAt is not null;

    /// <summary>The record from the untyped row a range query returns.</summary>
    public static SignUpRecord From(TableEntity row) => new()
    {
        PartitionKey = row.PartitionKey,
        RowKey = row.RowKey,
        Timestamp = row.Timestamp,
        ETag = row.ETag,
        OwnerKey = row.GetString(nameof(OwnerKey)) ?? "",
        PlanYear = row.GetInt32(nameof(PlanYear)) ?? 0,
        Status = row.GetString(nameof(Status)) ?? "",
        AcceptedAt = row.GetDateTimeOffset(nameof(AcceptedAt)) ?? default,
        Fingerprint = row.GetString(nameof(Fingerprint)) ?? "",
        Sealed = row.GetString(nameof(Sealed)) ?? "",
        Persons = row.GetString(nameof(Persons)) ?? "[]",
        Queued = row.GetBoolean(nameof(Queued)) ?? false,
        EnqueueClaimedAt = row.GetDateTimeOffset(nameof(EnqueueClaimedAt)),
        DecidedAt = row.GetDateTimeOffset(nameof(DecidedAt)),
        ConsentVersion = row.GetString(nameof(ConsentVersion)),
        ConsentedAt = row.GetDateTimeOffset(nameof(ConsentedAt)),
        ConsentGuardianFor = row.GetInt32(nameof(ConsentGuardianFor)),
        ErasedAt = row.GetDateTimeOffset(nameof(ErasedAt)),
        Erasure = row.GetString(nameof(Erasure)),
    };
}
