using Azure;
using Azure.Data.Tables;
using HuiminBao.Storage;
using Microsoft.Extensions.Options;

namespace HuiminBao.Reports;

public enum ClaimResult
{
    /// <summary>This run owns the day and must send its report.</summary>
    Claimed,

    /// <summary>WeCom already took this day's report.</summary>
    AlreadySent,

    /// <summary>Another run holds a live claim on the day.</summary>
    Busy,
}

/// <summary>
/// Exactly one report per day, across timer double-fires and instances: a run claims a day by
/// inserting its marker (a second insert gets 409), and every later write is conditional on the
/// ETag it holds, so only one run at a time can be sending. A run that died leaves a claim that
/// goes stale after <see cref="DailyReportOptions.ClaimLease"/>; a failed one is retried later.
/// Once a marker says sent, nothing sends that day again.
/// </summary>
public sealed class DailyReportMarkers(StorageAccount storage, IOptions<DailyReportOptions> options, TimeProvider time)
{
    private TableClient Table => storage.Table(TableNames.OpsState);

    public async Task<(ClaimResult Result, DailyReportMarker? Marker)> ClaimAsync(DateOnly day, string owner, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var marker = new DailyReportMarker { RowKey = DailyReportMarker.RowKeyOf(day), Owner = owner, ClaimedAt = now };
        try
        {
            var added = await Table.AddEntityAsync(marker, cancellationToken);
            marker.ETag = added.Headers.ETag ?? throw new InvalidOperationException("Storage returned no ETag for the new marker.");
            return (ClaimResult.Claimed, marker);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Someone has been here: see whether it is done, live, or left behind.
        }

        var existing = (await Table.GetEntityAsync<DailyReportMarker>(DailyReportMarker.ReportsPartition, marker.RowKey, cancellationToken: cancellationToken)).Value;
        if (existing.State == DailyReportMarker.Sent)
            return (ClaimResult.AlreadySent, existing);
        if (existing.State == DailyReportMarker.Sending && now - existing.ClaimedAt < options.Value.ClaimLease)
            return (ClaimResult.Busy, existing);

        existing.State = DailyReportMarker.Sending;
        existing.Owner = owner;
        existing.ClaimedAt = now;
        return await TryReplaceAsync(existing, cancellationToken) ? (ClaimResult.Claimed, existing) : (ClaimResult.Busy, existing);
    }

    /// <summary>Extends the claim before an attempt; false means another run took it over and this one must stop.</summary>
    public Task<bool> RenewAsync(DailyReportMarker marker, CancellationToken cancellationToken)
    {
        marker.ClaimedAt = time.GetUtcNow();
        return TryReplaceAsync(marker, cancellationToken);
    }

    public Task<bool> MarkSentAsync(DailyReportMarker marker, long enrolled, long cumulative, CancellationToken cancellationToken)
    {
        marker.State = DailyReportMarker.Sent;
        marker.SentAt = time.GetUtcNow();
        marker.LastError = null;
        marker.Enrolled = enrolled;
        marker.Cumulative = cumulative;
        // Once WeCom has taken the report, recording that must not be given up on a passing token.
        return TryReplaceAsync(marker, CancellationToken.None);
    }

    public Task<bool> MarkFailedAsync(DailyReportMarker marker, string error, CancellationToken cancellationToken)
    {
        marker.State = DailyReportMarker.Failed;
        marker.LastError = error;
        return TryReplaceAsync(marker, cancellationToken);
    }

    /// <summary>Days from <paramref name="first"/> to <paramref name="last"/> whose report was claimed but never sent.</summary>
    public async Task<IReadOnlyList<DateOnly>> UnsentAsync(DateOnly first, DateOnly last, CancellationToken cancellationToken)
    {
        if (first > last)
            return [];
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {DailyReportMarker.ReportsPartition} and RowKey ge {DailyReportMarker.RowKeyOf(first)} and RowKey le {DailyReportMarker.RowKeyOf(last)}");
        var days = new List<DateOnly>();
        await foreach (var marker in Table.QueryAsync<DailyReportMarker>(filter, cancellationToken: cancellationToken))
        {
            if (marker.State != DailyReportMarker.Sent)
                days.Add(marker.Day());
        }
        return days;
    }

    public async Task<DailyReportMarker?> FindAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var found = await Table.GetEntityIfExistsAsync<DailyReportMarker>(DailyReportMarker.ReportsPartition, DailyReportMarker.RowKeyOf(day), cancellationToken: cancellationToken);
        return found.HasValue ? found.Value : null;
    }

    private async Task<bool> TryReplaceAsync(DailyReportMarker marker, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Table.UpdateEntityAsync(marker, marker.ETag, TableUpdateMode.Replace, cancellationToken);
            marker.ETag = response.Headers.ETag ?? marker.ETag;
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }
    }
}
