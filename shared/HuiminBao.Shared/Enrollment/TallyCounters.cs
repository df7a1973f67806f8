using System.Globalization;
using Azure.Data.Tables;
using HuiminBao.Storage;

namespace HuiminBao.Enrollment;

/// <summary>
/// Reads the daily counters the <see cref="EnrollmentLedger"/> keeps, summed over its shards. Each
/// shard is one partition-scoped RowKey range query (<c>t-{first}</c>..<c>t-{last}</c>), issued in
/// parallel: a range of up to 1000 days is one page per shard, so
/// <see cref="EnrollmentKeys.ShardCount"/> (16) storage calls whatever the range. Reads take no lock
/// and change no ETag, so watching the tally never slows the counting.
/// </summary>
public sealed class TallyCounters(StorageAccount storage)
{
    /// <summary>Azure Tables returns at most 1000 entities per page.</summary>
    public const int DaysPerPage = 1000;

    /// <param name="first">First day to read; null reads every counter up to <paramref name="last"/>.</param>
    /// <returns>Each day that has a count, with its columns summed over all shards.</returns>
    public async Task<SortedDictionary<DateOnly, Dictionary<string, long>>> ReadAsync(int planYear, DateOnly? first, DateOnly last, CancellationToken cancellationToken)
    {
        var low = EnrollmentKeys.CounterRow(first ?? DateOnly.MinValue);
        var high = EnrollmentKeys.CounterRow(last);
        var table = storage.Table(TableNames.Enrollments);
        var shards = await Task.WhenAll(Enumerable.Range(0, EnrollmentKeys.ShardCount).Select(async shard =>
        {
            var partition = EnrollmentKeys.Partition(planYear, shard);
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {low} and RowKey le {high}");
            var rows = new List<TableEntity>();
            await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: DaysPerPage, cancellationToken: cancellationToken))
                rows.Add(row);
            return rows;
        }));

        var days = new SortedDictionary<DateOnly, Dictionary<string, long>>();
        foreach (var row in shards.SelectMany(rows => rows))
        {
            if (!EnrollmentKeys.IsCounterRow(row.RowKey))
                continue;
            var dayOf = EnrollmentKeys.DayOfCounterRow(row.RowKey);
            if (!days.TryGetValue(dayOf, out var columns))
                days[dayOf] = columns = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var (name, value) in row)
            {
                if (value is long or int)
                    columns[name] = columns.GetValueOrDefault(name) + Convert.ToInt64(value, CultureInfo.InvariantCulture);
            }
        }
        return days;
    }
}
