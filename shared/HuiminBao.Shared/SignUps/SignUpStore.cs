using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using HuiminBao.Security;
using HuiminBao.Storage;
using Microsoft.Extensions.Logging;

namespace HuiminBao.SignUps;

/// <summary>
/// The <c>signups</c> table: every read and write of a sign-up record and of the notification row
/// beside it goes through here, and this is the one place a sealed sign-up is sealed or opened.
/// <para>
/// Writes that many sign-ups make at the same moment (outcomes, queued marks, notification claims
/// and answers) go through one group-commit writer per process, so concurrent
/// writes to a bucket share a transaction (<see cref="PartitionGroupCommit"/>). New records have a
/// writer of their own: intake waits on them, so they go first (<see cref="StorageLanes"/>) and never
/// wait behind a transaction of processing's writes. Rarer writes that are conditional on an ETag just
/// read go straight to the table.
/// </para>
/// </summary>
public sealed class SignUpStore(StorageAccount storage, PersonalDataCipher cipher, ILogger<SignUpStore> logger)
{
    private readonly PartitionGroupCommit _grouped = new(storage.Table(TableNames.SignUps), logger);
    private readonly PartitionGroupCommit _inserts = new(storage.Table(TableNames.SignUps), logger, intake: true);

    private TableClient Table => storage.Table(TableNames.SignUps);

    public string Seal(string signUpId, SealedSignUp personal) =>
        cipher.Seal(JsonSerializer.Serialize(personal, SignUpJson.Default.SealedSignUp), signUpId);

    /// <summary>The personal part of a stored sign-up; throws if it can't be opened with the configured keys.</summary>
    public SealedSignUp Open(SignUpRecord record) =>
        JsonSerializer.Deserialize(cipher.Open(record.Sealed, record.SignUpId), SignUpJson.Default.SealedSignUp)
        ?? throw new JsonException($"Sign-up {record.SignUpId} has an empty sealed record.");

    /// <summary>Stores a new record; a record with that id already there fails with 409.</summary>
    public Task AddAsync(SignUpRecord record, CancellationToken cancellationToken) => _inserts.AddAsync(record, cancellationToken);

    public async Task<SignUpRecord?> FindAsync(string signUpId, CancellationToken cancellationToken)
    {
        var found = await Table.GetEntityIfExistsAsync<SignUpRecord>(SignUpKeys.Partition(signUpId), SignUpKeys.RecordRow(signUpId), cancellationToken: cancellationToken);
        return found.HasValue ? found.Value : null;
    }

    /// <summary>The record and its notification's state in one range query (the notification row sorts right after the record).</summary>
    public async Task<(SignUpRecord? Record, string? NotificationState)> FindWithNotificationAsync(string signUpId, CancellationToken cancellationToken)
    {
        SignUpRecord? record = null;
        string? notification = null;
        var (from, to) = SignUpKeys.Rows(signUpId);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {SignUpKeys.Partition(signUpId)} and RowKey ge {from} and RowKey le {to}");
        try
        {
            await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                if (row.RowKey == SignUpKeys.RecordRow(signUpId))
                    record = SignUpRecord.From(row);
                else if (row.RowKey == SignUpKeys.NotificationRow(signUpId))
                    notification = row.GetString(nameof(NotificationRecord.State));
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return (null, null);
        }
        return (record, notification);
    }

    /// <summary>
    /// Sign-ups still pending whose message is not known to be on the queue, accepted before
    /// <paramref name="acceptedBefore"/>: what the sweep looks at. One query per bucket partition, its
    /// filter evaluated by the service (no index: Azure Tables has none), at most
    /// <paramref name="max"/> records in all. Notification rows lack these properties and never match.
    /// </summary>
    public async IAsyncEnumerable<SignUpRecord> FindUnqueuedAsync(DateTimeOffset acceptedBefore, int max, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var found = 0;
        for (var bucket = 0; bucket < SignUpKeys.Buckets && found < max; bucket++)
        {
            var partition = SignUpKeys.PartitionOf(bucket);
            var filter = TableClient.CreateQueryFilter(
                $"PartitionKey eq {partition} and Status eq {Domain.SignUpStatus.Pending} and Queued eq {false} and AcceptedAt lt {acceptedBefore}");
            await foreach (var record in Table.QueryAsync<SignUpRecord>(filter, maxPerPage: Math.Min(max, 1000), cancellationToken: cancellationToken))
            {
                yield return record;
                if (++found >= max)
                    break;
            }
        }
    }

    /// <summary>Takes over the enqueue claim of <paramref name="existing"/> as read; false when someone else changed it since.</summary>
    public async Task<bool> TryClaimEnqueueAsync(SignUpRecord existing, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var claim = SignUpKeys.RecordEntity(existing.SignUpId);
        claim[nameof(SignUpRecord.EnqueueClaimedAt)] = now;
        try
        {
            await Table.UpdateEntityAsync(claim, existing.ETag, TableUpdateMode.Merge, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }
    }

    /// <summary>Lets a retry take over the enqueue at once instead of waiting for the claim to lapse.</summary>
    public Task ReleaseEnqueueClaimAsync(string signUpId, CancellationToken cancellationToken)
    {
        var release = SignUpKeys.RecordEntity(signUpId);
        release[nameof(SignUpRecord.EnqueueClaimedAt)] = DateTimeOffset.UnixEpoch;
        return Table.UpdateEntityAsync(release, ETag.All, TableUpdateMode.Merge, cancellationToken);
    }

    public Task MarkQueuedAsync(string signUpId, CancellationToken cancellationToken)
    {
        var mark = SignUpKeys.RecordEntity(signUpId);
        mark[nameof(SignUpRecord.Queued)] = true;
        return _grouped.UpdateAsync(mark, ETag.All, TableUpdateMode.Merge, cancellationToken);
    }

    /// <summary>
    /// A merge of the decided values, so repeating it writes the same thing again. An update, not an
    /// upsert: a message whose record doesn't exist is an error to surface, not a record to invent.
    /// </summary>
    public Task WriteOutcomeAsync(string signUpId, string status, IReadOnlyList<PersonState> persons, DateTimeOffset decidedAt, CancellationToken cancellationToken)
    {
        var outcome = SignUpKeys.RecordEntity(signUpId);
        outcome[nameof(SignUpRecord.Status)] = status;
        outcome[nameof(SignUpRecord.Persons)] = PersonStates.Write(persons);
        outcome[nameof(SignUpRecord.Queued)] = true;
        outcome[nameof(SignUpRecord.DecidedAt)] = decidedAt;
        return _grouped.UpdateAsync(outcome, ETag.All, TableUpdateMode.Merge, cancellationToken);
    }

    /// <summary>Marks <paramref name="found"/> needs-review unless it changed since it was read (a decision written meanwhile wins); false then.</summary>
    public async Task<bool> TryMarkNeedsReviewAsync(SignUpRecord found, IReadOnlyList<PersonState> persons, CancellationToken cancellationToken)
    {
        var status = SignUpKeys.RecordEntity(found.SignUpId);
        status[nameof(SignUpRecord.Status)] = Domain.SignUpStatus.NeedsReview;
        status[nameof(SignUpRecord.Persons)] = PersonStates.Write(persons);
        try
        {
            await Table.UpdateEntityAsync(status, found.ETag, TableUpdateMode.Merge, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }
    }

    /// <summary>Back to pending, for a sign-up ops put back on the queue after review.</summary>
    public Task ResetToPendingAsync(string signUpId, IReadOnlyList<PersonState> persons, CancellationToken cancellationToken)
    {
        var pending = SignUpKeys.RecordEntity(signUpId);
        pending[nameof(SignUpRecord.Status)] = Domain.SignUpStatus.Pending;
        pending[nameof(SignUpRecord.Persons)] = PersonStates.Write(persons);
        return Table.UpdateEntityAsync(pending, ETag.All, TableUpdateMode.Merge, cancellationToken);
    }

    public async Task<NotificationRecord?> FindNotificationAsync(string signUpId, CancellationToken cancellationToken)
    {
        var found = await Table.GetEntityIfExistsAsync<NotificationRecord>(SignUpKeys.Partition(signUpId), SignUpKeys.NotificationRow(signUpId), cancellationToken: cancellationToken);
        return found.HasValue ? found.Value : null;
    }

    /// <summary>Inserts a notification row (grouped); 409 when there is one already. Returns the new ETag.</summary>
    public async Task<ETag> AddNotificationAsync(NotificationRecord row, CancellationToken cancellationToken) =>
        (await _grouped.AddAsync(row, cancellationToken)).Headers.ETag ?? ETag.All;

    /// <summary>Replaces a notification row if its ETag still matches; 412 otherwise. <paramref name="grouped"/> shares a transaction with concurrent writes.</summary>
    public async Task<ETag> ReplaceNotificationAsync(NotificationRecord row, ETag ifMatch, bool grouped, CancellationToken cancellationToken)
    {
        var response = grouped
            ? await _grouped.UpdateAsync(row, ifMatch, TableUpdateMode.Replace, cancellationToken)
            : await Table.UpdateEntityAsync(row, ifMatch, TableUpdateMode.Replace, cancellationToken);
        return response.Headers.ETag ?? ETag.All;
    }

    /// <summary>Inserts a notification row directly (not grouped); 409 when there is one already.</summary>
    public Task InsertNotificationAsync(NotificationRecord row, CancellationToken cancellationToken) => Table.AddEntityAsync(row, cancellationToken);

    /// <summary>
    /// Erases a sign-up's personal data: the record is replaced by what only says that it existed
    /// (owner key, plan year, when it was accepted, the consent given) and its notification row
    /// becomes <c>erased</c>, so no delivery still on its way sends anything. The two rows share a
    /// partition, so this is one transaction; repeating it writes the same again. The record is
    /// replaced whatever it holds now: erasure wins over any write it meets.
    /// </summary>
    public Task EraseAsync(SignUpRecord record, string erasure, DateTimeOffset erasedAt, CancellationToken cancellationToken)
    {
        var erased = SignUpKeys.RecordEntity(record.SignUpId);
        erased[nameof(SignUpRecord.OwnerKey)] = record.OwnerKey;
        erased[nameof(SignUpRecord.PlanYear)] = record.PlanYear;
        erased[nameof(SignUpRecord.Status)] = Domain.SignUpStatus.Erased;
        erased[nameof(SignUpRecord.AcceptedAt)] = record.AcceptedAt;
        erased[nameof(SignUpRecord.Fingerprint)] = "";
        erased[nameof(SignUpRecord.Sealed)] = "";
        erased[nameof(SignUpRecord.Persons)] = "[]";
        erased[nameof(SignUpRecord.Queued)] = true;
        erased[nameof(SignUpRecord.ErasedAt)] = erasedAt;
        erased[nameof(SignUpRecord.Erasure)] = erasure;
        if (record.DecidedAt is { } decidedAt)
            erased[nameof(SignUpRecord.DecidedAt)] = decidedAt;
        if (record.ConsentVersion is { } version)
            erased[nameof(SignUpRecord.ConsentVersion)] = version;
        if (record.ConsentedAt is { } consentedAt)
            erased[nameof(SignUpRecord.ConsentedAt)] = consentedAt;
        if (record.ConsentGuardianFor is { } guardianFor)
            erased[nameof(SignUpRecord.ConsentGuardianFor)] = guardianFor;

        var notification = NotificationRecord.For(record.SignUpId);
        notification.State = NotificationStates.Erased;
        notification.Reason = "personal data erased";
        notification.SettledAt = erasedAt;

        return Table.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.UpdateReplace, erased, ETag.All),
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, notification),
            ],
            cancellationToken);
    }

    /// <summary>
    /// Records that still hold sealed personal data, in key order, as the scan narrows them: for
    /// retention and for re-sealing after a key rotation. Erased records (empty <c>Sealed</c>) and
    /// notification rows (no <c>Sealed</c>) are left out by the service, so a scan cut off and started
    /// again only meets what is still to do.
    /// </summary>
    public async IAsyncEnumerable<SignUpRecord> SealedRecordsAsync(SealedRecordScan scan, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filters = new List<string> { TableClient.CreateQueryFilter($"Sealed gt {""}") };
        if (scan.MaxPlanYear is { } maxYear)
            filters.Add(TableClient.CreateQueryFilter($"PlanYear le {maxYear}"));
        if (scan.NotUnderKeyId is { } keyId)
            filters.Add(TableClient.CreateQueryFilter($"(Sealed lt {PersonalDataCipher.PrefixOf(keyId)} or Sealed ge {PersonalDataCipher.PrefixEnd(keyId)})"));
        if (scan.After is { } after)
            filters.Add(TableClient.CreateQueryFilter($"(PartitionKey gt {after.PartitionKey} or (PartitionKey eq {after.PartitionKey} and RowKey gt {after.RowKey}))"));

        var query = Table.QueryAsync<SignUpRecord>(string.Join(" and ", filters), maxPerPage: scan.PageSize, cancellationToken: cancellationToken);
        await foreach (var record in query)
        {
            if (!SignUpKeys.IsNotificationRow(record.RowKey))
                yield return record;
        }
    }

    /// <summary>
    /// Seals <paramref name="record"/>'s personal data again under the current data key. Writes only
    /// when it is under another key, and only over the record as read (ETag): a record changed
    /// meanwhile is read again, one erased meanwhile is left erased.
    /// </summary>
    public async Task<ResealOutcome> ResealAsync(SignUpRecord record, CancellationToken cancellationToken)
    {
        const int contendedTries = 3;
        for (var i = 0; ; i++)
        {
            if (record.Sealed.Length == 0)
                return ResealOutcome.Erased;
            if (cipher.IsCurrent(record.Sealed))
                return ResealOutcome.AlreadyCurrent;

            var update = SignUpKeys.RecordEntity(record.SignUpId);
            update[nameof(SignUpRecord.Sealed)] = cipher.Reseal(record.Sealed, record.SignUpId);
            try
            {
                await Table.UpdateEntityAsync(update, record.ETag, TableUpdateMode.Merge, cancellationToken);
                return ResealOutcome.Resealed;
            }
            catch (RequestFailedException e) when (e.Status == 412 && i + 1 < contendedTries)
            {
                record = await FindAsync(record.SignUpId, cancellationToken) ?? new SignUpRecord { RowKey = record.RowKey };
            }
        }
    }
}

/// <summary>Which sealed records <see cref="SignUpStore.SealedRecordsAsync"/> reads.</summary>
/// <param name="MaxPlanYear">Only records of this plan year or earlier.</param>
/// <param name="NotUnderKeyId">Only records sealed under another data key than this one.</param>
/// <param name="After">Only records after this key (a scan's position), in key order.</param>
public sealed record SealedRecordScan(int? MaxPlanYear = null, string? NotUnderKeyId = null, RecordPosition? After = null, int PageSize = 100);

/// <summary>Where a scan of the <c>signups</c> table got to.</summary>
public sealed record RecordPosition(string PartitionKey, string RowKey);

public enum ResealOutcome
{
    Resealed,
    AlreadyCurrent,

    /// <summary>Erased (before or during the attempt): nothing left to seal.</summary>
    Erased,
}
