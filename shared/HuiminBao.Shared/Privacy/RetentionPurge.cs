using HuiminBao.Diagnostics;
using HuiminBao.Reviews;
using HuiminBao.Roster;
using HuiminBao.SignUps;
using HuiminBao.Timers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HuiminBao.Privacy;

/// <summary>
/// The retention timer (daily, <c>Retention:Schedule</c>): erases the personal data of every sign-up
/// whose plan year's window closed more than <c>Retention:PurgeAfter</c> ago
/// (<see cref="RetentionWindows"/>), exactly as an erasure on request does, and the review rows of
/// those years; enrollment rows and tallies are aggregates and stay. It also deletes roster drops
/// left unimported for a day.
/// <para>
/// Idempotent and resumable: the scan only meets records that still hold sealed data, so a run that
/// stops (its time budget, a crash, a second firing alongside) leaves the rest to the next one,
/// and two runs erasing the same record write the same thing. Records go in batches of
/// <see cref="RetentionOptions.BatchSize"/>, a few erasures in flight at once.
/// </para>
/// </summary>
public sealed partial class RetentionPurge(
    SignUpStore store,
    SignUpErasure erasure,
    PoisonedSignUps reviews,
    RosterDrops drops,
    RetentionWindows windows,
    IOptions<RetentionOptions> options,
    TimeProvider time,
    ILogger<RetentionPurge> logger) : ITimerHandler
{
    public const string FunctionName = "PurgeExpiredPersonalData";

    public async Task RunAsync(TimerFiring firing, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var started = time.GetUtcNow();
        var droppedFiles = await drops.SweepAsync(started - settings.RosterDropsAfter, cancellationToken);
        var due = await windows.DueAsync(started, cancellationToken);
        if (due.MaxPlanYear is not { } maxPlanYear)
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                var dueAt = due.PurgeAt(due.OpenYear);
                LogNothingDue(logger, due.OpenYear, dueAt, droppedFiles);
            }
            return;
        }

        var forgottenReviews = await reviews.ForgetPlanYearsAsync(due.IsDue, cancellationToken);
        var purged = 0;
        var complete = true;
        var batch = new List<SignUpRecord>(settings.BatchSize);
        await foreach (var record in store.SealedRecordsAsync(new SealedRecordScan(MaxPlanYear: maxPlanYear, PageSize: settings.BatchSize), cancellationToken))
        {
            if (!due.IsDue(record.PlanYear))
                continue;
            batch.Add(record);
            if (batch.Count < settings.BatchSize)
                continue;
            purged += await PurgeAsync(batch, settings.Parallelism, cancellationToken);
            if (time.GetUtcNow() - started >= settings.RunFor)
            {
                complete = false;
                break;
            }
        }
        purged += await PurgeAsync(batch, settings.Parallelism, cancellationToken);
        LogPurged(logger, purged, maxPlanYear, forgottenReviews, droppedFiles, complete);
    }

    private async Task<int> PurgeAsync(List<SignUpRecord> batch, int parallelism, CancellationToken cancellationToken)
    {
        var count = batch.Count;
        await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (record, token) => await erasure.EraseAsync(record, Erasures.Retention, token));
        batch.Clear();
        return count;
    }

    [LoggerMessage(EventId = LogEvents.Privacy + 10, Level = LogLevel.Information, Message = "Retention: no plan year is due for purging (plan year {OpenYear} is due at {DueAt:o}); {DroppedFiles} abandoned roster drops deleted")]
    private static partial void LogNothingDue(ILogger logger, int openYear, DateTimeOffset? dueAt, int droppedFiles);

    [LoggerMessage(EventId = LogEvents.Privacy + 11, Level = LogLevel.Warning, Message = "Retention: personal data of {Purged} sign-ups purged (plan years up to {MaxPlanYear}), {Reviews} review rows, {DroppedFiles} abandoned roster drops; complete: {Complete}")]
    private static partial void LogPurged(ILogger logger, int purged, int maxPlanYear, int reviews, int droppedFiles, bool complete);
}
