using HuiminBao.Diagnostics;
using HuiminBao.Domain;
using HuiminBao.Tallies;
using HuiminBao.Timers;
using HuiminBao.WeCom;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HuiminBao.Reports;

/// <summary>
/// The timer-triggered daily report (default 00:05 Beijing): yesterday's count, the cumulative
/// total and the top districts, posted to the ops group's WeCom robot exactly once per day.
/// <para>
/// The day is claimed in <see cref="DailyReportMarkers"/> before anything is sent, so a double
/// fire or a second instance finds the claim and stops. A send the robot defers (rate limit,
/// 45009/130101, outage) is retried within the run for <see cref="DailyReportOptions.RetryFor"/>,
/// then left as failed for the next run to retry; days outside the enrollment window get no report.
/// </para>
/// </summary>
public sealed partial class DailyReport(
    TallyQuery tallies,
    DailyReportMarkers markers,
    IOpsRobot robot,
    IOptions<DailyReportOptions> options,
    IOptions<EnrollmentOptions> window,
    TimeProvider time,
    ILogger<DailyReport> logger) : ITimerHandler
{
    public const string FunctionName = "DailyReport";

    public async Task RunAsync(TimerFiring firing, CancellationToken cancellationToken)
    {
        var yesterday = BeijingTime.DayOf(firing.ScheduledAt).AddDays(-1);
        var settings = options.Value;
        var earlier = await markers.UnsentAsync(yesterday.AddDays(-settings.CatchUpDays), yesterday.AddDays(-1), cancellationToken);
        foreach (var day in earlier.Append(yesterday))
            await ReportAsync(day, cancellationToken);
    }

    /// <summary>Sends <paramref name="day"/>'s report unless it was sent already or another run is sending it.</summary>
    public async Task ReportAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var planYear = window.Value.PlanYear != 0 ? window.Value.PlanYear : day.Year;
        var iso = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        if (!InWindow(day))
        {
            LogOutsideWindow(logger, iso);
            return;
        }

        var owner = Guid.NewGuid().ToString("n");
        var (claim, marker) = await markers.ClaimAsync(day, owner, cancellationToken);
        if (claim != ClaimResult.Claimed)
        {
            LogNotClaimed(logger, iso, claim);
            return;
        }

        TallyReport tally;
        try
        {
            tally = await tallies.ReadAsync(planYear, day, day, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await markers.MarkFailedAsync(marker!, "tally read failed: " + e.GetType().Name, CancellationToken.None);
            throw;
        }
        var figures = tally.Days.Single();
        var content = DailyReportContent.Compose(tally, day, options.Value.TopDistricts, time.GetUtcNow());
        var giveUpAt = time.GetUtcNow() + options.Value.RetryFor;
        while (true)
        {
            marker!.Attempts++;
            if (!await markers.RenewAsync(marker, cancellationToken))
            {
                LogClaimLost(logger, iso);
                return;
            }
            var delivery = await robot.SendMarkdownAsync(content, cancellationToken);
            if (delivery.Status == RobotDeliveryStatus.Sent)
            {
                if (!await markers.MarkSentAsync(marker, figures.Enrolled, figures.Cumulative, cancellationToken))
                    LogClaimLost(logger, iso);
                LogSent(logger, iso, figures.Enrolled, figures.Cumulative, marker.Attempts);
                return;
            }
            if (delivery.Status == RobotDeliveryStatus.Rejected || time.GetUtcNow() + delivery.RetryAfter > giveUpAt)
            {
                await markers.MarkFailedAsync(marker, delivery.Describe(), cancellationToken);
                LogFailed(logger, iso, marker.Attempts, delivery.Describe());
                return;
            }
            LogRetrying(logger, iso, delivery.Describe(), delivery.RetryAfter.TotalSeconds);
            await Task.Delay(delivery.RetryAfter, time, cancellationToken);
        }
    }

    private bool InWindow(DateOnly day)
    {
        var settings = window.Value;
        if (settings.OpensAt is { } opens && day < BeijingTime.DayOf(opens))
            return false;
        // ClosesAt is the first instant closed; the day holding the instant before it is the last open day.
        return settings.ClosesAt is not { } closes || day <= BeijingTime.DayOf(closes.AddTicks(-1));
    }

    [LoggerMessage(EventId = LogEvents.Reports + 1, Level = LogLevel.Information, Message = "Daily report for {Day} sent: {Enrolled} enrolled, {Cumulative} cumulative (attempt {Attempts})")]
    private static partial void LogSent(ILogger logger, string day, long enrolled, long cumulative, int attempts);

    [LoggerMessage(EventId = LogEvents.Reports + 2, Level = LogLevel.Information, Message = "Daily report for {Day} not sent by this run: {Claim}")]
    private static partial void LogNotClaimed(ILogger logger, string day, ClaimResult claim);

    [LoggerMessage(EventId = LogEvents.Reports + 3, Level = LogLevel.Warning, Message = "Daily report for {Day} deferred ({Delivery}); retrying in {Seconds:0.#} s")]
    private static partial void LogRetrying(ILogger logger, string day, string delivery, double seconds);

    [LoggerMessage(EventId = LogEvents.Reports + 4, Level = LogLevel.Error, Message = "Daily report for {Day} failed after {Attempts} attempts ({Delivery}); the next run retries it")]
    private static partial void LogFailed(ILogger logger, string day, int attempts, string delivery);

    [LoggerMessage(EventId = LogEvents.Reports + 5, Level = LogLevel.Warning, Message = "Daily report for {Day}: another run took over the claim; stopping")]
    private static partial void LogClaimLost(ILogger logger, string day);

    [LoggerMessage(EventId = LogEvents.Reports + 6, Level = LogLevel.Information, Message = "No daily report for {Day}: outside the enrollment window")]
    private static partial void LogOutsideWindow(ILogger logger, string day);
}
