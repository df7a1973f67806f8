using Azure;
using Azure.Data.Tables;
using HuiminBao.Storage;

namespace HuiminBao.Roster;

/// <summary>
/// Reads and writes <see cref="RosterImportRecord"/>s. Every write after the claim is conditional on
/// the ETag the claimer last saw, so a runner that lost its claim (it stalled past the lease and
/// another took over) finds out at its next checkpoint instead of overwriting the other's progress.
/// </summary>
public sealed class RosterImportRecords(StorageAccount storage, TimeProvider time)
{
    private TableClient Table => storage.Table(TableNames.RosterImports);

    public async Task<RosterImportRecord?> GetAsync(string importId, CancellationToken cancellationToken)
    {
        if (!IsImportId(importId))
            return null;
        var response = await Table.GetEntityIfExistsAsync<RosterImportRecord>(RosterImportRecord.Partition, importId, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>Adds the record; false when an import of the same file already exists.</summary>
    public async Task<bool> TryCreateAsync(RosterImportRecord record, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Table.AddEntityAsync(record, cancellationToken);
            record.ETag = response.Headers.ETag ?? default;
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <summary>
    /// Claims the import for <paramref name="runner"/> until <see cref="RosterImportRecord.LeaseUntil"/>.
    /// Returns the claimed record, or null when another runner holds a live claim (or took it a moment
    /// ago) that <paramref name="takeOver"/>, shown its holder, does not declare dead.
    /// </summary>
    public async Task<RosterImportRecord?> TryClaimAsync(RosterImportRecord record, TimeSpan lease, CancellationToken cancellationToken, string runner = "queue", Func<string?, bool>? takeOver = null)
    {
        var now = time.GetUtcNow();
        if (record.LeaseId is not null && record.LeaseUntil > now && !(takeOver?.Invoke(record.LeaseHolder) ?? false))
            return null;
        record.LeaseId = Guid.NewGuid().ToString("n");
        record.LeaseHolder = runner;
        record.LeaseUntil = now + lease;
        record.State = RosterImportStates.Running;
        record.StartedAt ??= now;
        record.UpdatedAt = now;
        record.Runs++;
        return await TrySaveAsync(record, cancellationToken) ? record : null;
    }

    /// <summary>Saves the record if nobody changed it since it was read; on success the record carries the new ETag.</summary>
    public async Task<bool> TrySaveAsync(RosterImportRecord record, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Table.UpdateEntityAsync(record, record.ETag, TableUpdateMode.Replace, cancellationToken);
            record.ETag = response.Headers.ETag ?? default;
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return false;
        }
    }

    /// <summary>
    /// Sets a finished import up to run again from its first row (the command line's <c>--force</c>).
    /// The rows it writes are the ones already stored, so the roster's content does not change.
    /// </summary>
    public async Task<bool> TryRestartAsync(RosterImportRecord record, CancellationToken cancellationToken)
    {
        record.State = RosterImportStates.Queued;
        record.RecordsDone = record.RowsRead = record.RowsImported = record.RowsBad = 0;
        record.BadRows = "[]";
        record.Failure = null;
        record.CompletedAt = null;
        record.UpdatedAt = time.GetUtcNow();
        return await TrySaveAsync(record, cancellationToken);
    }

    /// <summary>The most recent imports first (import ids are hashes, so this sorts by creation time in memory).</summary>
    public async Task<IReadOnlyList<RosterImportRecord>> RecentAsync(int take, CancellationToken cancellationToken)
    {
        var all = new List<RosterImportRecord>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {RosterImportRecord.Partition}");
        await foreach (var record in Table.QueryAsync<RosterImportRecord>(filter, cancellationToken: cancellationToken))
            all.Add(record);
        return [.. all.OrderByDescending(r => r.CreatedAt).Take(take)];
    }

    /// <summary>The completed imports of a plan year, with only the columns the population needs.</summary>
    public async Task<IReadOnlyList<RosterImportRecord>> CompletedAsync(int planYear, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {RosterImportRecord.Partition} and PlanYear eq {planYear} and State eq {RosterImportStates.Completed}");
        string[] columns = [nameof(RosterImportRecord.AsOf), nameof(RosterImportRecord.CompletedAt), nameof(RosterImportRecord.Population), nameof(RosterImportRecord.PlanYear), nameof(RosterImportRecord.State)];
        var completed = new List<RosterImportRecord>();
        await foreach (var record in Table.QueryAsync<RosterImportRecord>(filter, select: columns, cancellationToken: cancellationToken))
            completed.Add(record);
        return completed;
    }

    public static bool IsImportId(string? value) =>
        value is { Length: 32 } && value.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');
}
