using HuiminBao.Reports;
using HuiminBao.Timers;

namespace HuiminBao.Tests.Reports;

/// <summary>The NCRONTAB schedules the local host's timers run on, read as Azure Functions reads them (six fields, UTC).</summary>
public sealed class TimerScheduleTests
{
    [Fact]
    public void The_default_daily_report_schedule_is_five_past_midnight_Beijing()
    {
        var schedule = CronSchedule.Parse(DailyReportOptions.DefaultSchedule);

        var next = schedule.NextAfter(new DateTimeOffset(2026, 3, 6, 23, 0, 0, TimeSpan.FromHours(8)));

        Assert.Equal(new DateTimeOffset(2026, 3, 7, 0, 5, 0, TimeSpan.FromHours(8)), next);
        Assert.Equal(TimeSpan.Zero, next!.Value.Offset);
        Assert.Equal(new DateTimeOffset(2026, 3, 7, 16, 5, 0, TimeSpan.Zero), schedule.NextAfter(next.Value));
    }

    [Theory]
    [InlineData("*/15 * * * * *", "2026-03-06T10:00:07Z", "2026-03-06T10:00:15Z")]
    [InlineData("0 */5 * * * *", "2026-03-06T10:00:00Z", "2026-03-06T10:05:00Z")]
    [InlineData("0 0 9,17 * * *", "2026-03-06T09:00:00Z", "2026-03-06T17:00:00Z")]
    [InlineData("0 30 9-11 * * *", "2026-03-06T11:30:00Z", "2026-03-07T09:30:00Z")]
    [InlineData("0 0 8-18/4 * * *", "2026-03-06T12:00:01Z", "2026-03-06T16:00:00Z")]
    [InlineData("10/20 * * * * *", "2026-03-06T10:00:31Z", "2026-03-06T10:00:50Z")]
    [InlineData("0 0 9 * * MON-FRI", "2026-03-06T09:00:00Z", "2026-03-09T09:00:00Z")]
    [InlineData("0 0 9 * * 0", "2026-03-06T00:00:00Z", "2026-03-08T09:00:00Z")]
    [InlineData("0 0 0 1 JAN,jul *", "2026-03-06T00:00:00Z", "2026-07-01T00:00:00Z")]
    [InlineData("0 0 0 13 * FRI", "2026-03-14T00:00:00Z", "2026-11-13T00:00:00Z")]
    [InlineData("0 0 12 29 2 *", "2026-03-06T00:00:00Z", "2028-02-29T12:00:00Z")]
    [InlineData("59 59 23 31 12 *", "2026-12-31T23:59:59Z", "2027-12-31T23:59:59Z")]
    public void Lists_ranges_steps_and_names_match_ncrontab(string expression, string after, string expected)
    {
        var next = CronSchedule.Parse(expression).NextAfter(DateTimeOffset.Parse(after, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), next);
    }

    [Fact]
    public void A_schedule_that_never_matches_has_no_next_occurrence() =>
        Assert.Null(CronSchedule.Parse("0 0 0 30 2 *").NextAfter(DateTimeOffset.UnixEpoch));

    [Theory]
    [InlineData("0 5 16 * *")]
    [InlineData("0 5 16 * * * *")]
    [InlineData("60 * * * * *")]
    [InlineData("* * 24 * * *")]
    [InlineData("* * * 0 * *")]
    [InlineData("* * * * 13 *")]
    [InlineData("* * * * * 7")]
    [InlineData("*/0 * * * * *")]
    [InlineData("5-1 * * * * *")]
    [InlineData("1,,2 * * * * *")]
    [InlineData("a b c d e f")]
    [InlineData("")]
    public void Malformed_schedules_are_refused(string expression)
    {
        Assert.False(CronSchedule.TryParse(expression, out _, out var error));
        Assert.NotEmpty(error);
        Assert.Throws<FormatException>(() => CronSchedule.Parse(expression));
    }
}
