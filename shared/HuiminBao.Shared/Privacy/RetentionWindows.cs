using Azure.Data.Tables;
using HuiminBao.Domain;
using HuiminBao.Storage;
using Microsoft.Extensions.Options;

namespace HuiminBao.Privacy;

/// <summary>
/// Which plan years' personal data is due for purging: those whose enrollment window closed at
/// least <see cref="RetentionOptions.PurgeAfter"/> ago. The open year's close is
/// <c>Enrollment:ClosesAt</c> (unset: not closing, so never due), recorded in
/// <see cref="RetentionWindowRow"/> for when it is a past year. A past year with no record counts
/// from its last day, the latest its window can have closed: later than the rule, never earlier.
/// </summary>
public sealed class RetentionWindows(StorageAccount storage, IOptions<EnrollmentOptions> enrollment, IOptions<RetentionOptions> options, TimeProvider time)
{
    private TableClient Table => storage.Table(TableNames.OpsState);

    public async Task<PurgeDue> DueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var window = enrollment.Value;
        var openYear = window.EffectivePlanYear(time);
        var closes = new Dictionary<int, DateTimeOffset>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {RetentionWindowRow.Partition}");
        await foreach (var row in Table.QueryAsync<RetentionWindowRow>(filter, cancellationToken: cancellationToken))
        {
            if (int.TryParse(row.RowKey, System.Globalization.CultureInfo.InvariantCulture, out var year))
                closes[year] = row.ClosesAt;
        }

        if (window.ClosesAt is { } closesAt && (!closes.TryGetValue(openYear, out var recorded) || recorded != closesAt))
        {
            await Table.UpsertEntityAsync(new RetentionWindowRow { RowKey = openYear.ToString(System.Globalization.CultureInfo.InvariantCulture), ClosesAt = closesAt }, TableUpdateMode.Replace, cancellationToken);
        }
        return new PurgeDue(openYear, window.ClosesAt, closes, options.Value.PurgeAfter, now);
    }
}

/// <summary>The plan years due for purging as of <paramref name="Now"/>.</summary>
public sealed record PurgeDue(int OpenYear, DateTimeOffset? OpenYearClosesAt, IReadOnlyDictionary<int, DateTimeOffset> RecordedCloses, TimeSpan PurgeAfter, DateTimeOffset Now)
{
    /// <summary>When <paramref name="planYear"/>'s personal data becomes due, or null while it isn't foreseeable.</summary>
    public DateTimeOffset? PurgeAt(int planYear)
    {
        if (planYear > OpenYear)
            return null;
        // The open year follows the configuration as it is now: a window extended or reopened counts, not what was recorded before.
        if (planYear == OpenYear)
            return OpenYearClosesAt + PurgeAfter;
        var closed = RecordedCloses.TryGetValue(planYear, out var recorded) ? recorded : BeijingTime.StartOf(new DateOnly(planYear + 1, 1, 1));
        return closed + PurgeAfter;
    }

    public bool IsDue(int planYear) => PurgeAt(planYear) is { } at && at <= Now;

    /// <summary>
    /// The latest plan year that is due, to narrow the scan; null when none is. A year's purge time
    /// follows its window's close, so the years before a due one are due too (checked per record anyway).
    /// </summary>
    public int? MaxPlanYear
    {
        get
        {
            for (var year = OpenYear; year > OpenYear - MaxYearsBack; year--)
            {
                if (IsDue(year))
                    return year;
            }
            return null;
        }
    }

    /// <summary>A past year with no recorded close is due a year and the retention period after it ended, so this far back one always is.</summary>
    private const int MaxYearsBack = 100;
}
