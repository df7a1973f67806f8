using System.Diagnostics;
using System.Security.Cryptography;
using Azure.Data.Tables;
using HuiminBao.Roster;

namespace HuiminBao.Benchmarks.Roster;

/// <summary>
/// The ceiling: Azure.Data.Tables alone inserting 100-entity batches of roster-shaped entities, each
/// batch one partition, with the importer's concurrency, into a table of its own. No file, no
/// parsing, no hashing per row: what the import would reach if everything but storage were free.
/// </summary>
internal static class RawBatchRate
{
    /// <param name="limit">Stop after this many entities (to insert exactly as many as an import does), or at <paramref name="duration"/>.</param>
    public static async Task<(double EntitiesPerSecond, long Entities)> MeasureAsync(TableServiceClient tables, string tableName, int concurrency, TimeSpan duration, long limit = long.MaxValue)
    {
        var table = tables.GetTableClient(tableName);
        await table.CreateIfNotExistsAsync();
        long entities = 0;
        long claimed = 0;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(async worker =>
        {
            var batch = 0;
            while (clock.Elapsed < duration && Interlocked.Add(ref claimed, RosterBatchWriter.BatchSize) <= limit)
            {
                var partition = ((worker * 7919 + batch++) % RosterTable.PartitionCount).ToString("x2", System.Globalization.CultureInfo.InvariantCulture);
                var actions = new List<TableTransactionAction>(RosterBatchWriter.BatchSize);
                for (var i = 0; i < RosterBatchWriter.BatchSize; i++)
                    actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, Entity(partition)));
                await table.SubmitTransactionAsync(actions);
                Interlocked.Add(ref entities, actions.Count);
            }
        }).ToList();
        await Task.WhenAll(workers);
        return (entities / clock.Elapsed.TotalSeconds, entities);
    }

    private static TableEntity Entity(string partition)
    {
        var key = partition + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(31));
        return RosterTable.Entity(new RosterRow(0, key, "resident", "active", "410502", "2026-03-01", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))));
    }
}
