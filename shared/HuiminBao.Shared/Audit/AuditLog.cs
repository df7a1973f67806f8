using System.Globalization;
using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using HuiminBao.Diagnostics;
using HuiminBao.Domain;
using HuiminBao.Storage;
using Microsoft.Extensions.Logging;

namespace HuiminBao.Audit;

/// <summary>What one audited action is: who did what to which thing.</summary>
public sealed record AuditedAction(string Caller, string Route, string Method, string Target);

/// <summary>
/// The ops audit trail. An action is written before its handler runs, and its answer merged in when
/// the response is done: an action whose process dies half-way still shows, without a status, and
/// an action whose record can't be written doesn't run (storage is down then anyway).
/// </summary>
public sealed partial class AuditLog(StorageAccount storage, TimeProvider time, ILogger<AuditLog> logger)
{
    private TableClient Table => storage.Table(TableNames.Audit);

    public async Task<AuditRow> BeginAsync(AuditedAction action, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var row = new AuditRow
        {
            PartitionKey = Partition(BeijingTime.DayOf(now)),
            RowKey = $"{DateTimeOffset.MaxValue.UtcTicks - now.UtcTicks:D19}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}",
            Caller = action.Caller,
            Route = action.Route,
            Method = action.Method,
            Target = action.Target,
            At = now,
        };
        await Table.AddEntityAsync(row, cancellationToken);
        return row;
    }

    /// <summary>Runs after the response; a failure here is logged, since the caller has its answer already.</summary>
    public async Task CompleteAsync(AuditRow row, int status)
    {
        var outcome = new TableEntity(row.PartitionKey, row.RowKey)
        {
            [nameof(AuditRow.Status)] = status,
            [nameof(AuditRow.CompletedAt)] = time.GetUtcNow(),
        };
        try
        {
            await Table.UpdateEntityAsync(outcome, ETag.All, TableUpdateMode.Merge, CancellationToken.None);
        }
        catch (RequestFailedException e)
        {
            LogCompleteFailed(logger, row.Route, row.Caller, status, e.Status);
        }
    }

    /// <summary>Actions from <paramref name="first"/> to <paramref name="last"/> (Beijing days), newest first, at most <paramref name="limit"/>.</summary>
    public async Task<List<AuditRow>> ReadAsync(DateOnly first, DateOnly last, int limit, CancellationToken cancellationToken)
    {
        var rows = new List<AuditRow>();
        for (var day = last; day >= first && rows.Count < limit; day = day.AddDays(-1))
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(day)}");
            await foreach (var row in Table.QueryAsync<AuditRow>(filter, maxPerPage: Math.Min(1000, limit), cancellationToken: cancellationToken))
            {
                rows.Add(row);
                if (rows.Count == limit)
                    break;
            }
        }
        return rows;
    }

    private static string Partition(DateOnly day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    [LoggerMessage(EventId = LogEvents.Audit + 1, Level = LogLevel.Error, Message = "Audit record of {Route} by {Caller} not completed with status {Status} (storage {StorageStatus}); it stays without a status")]
    private static partial void LogCompleteFailed(ILogger logger, string route, string caller, int status, int storageStatus);
}
