using System.ComponentModel.DataAnnotations;
using HuiminBao.Timers;

namespace HuiminBao.Reports;

/// <summary>The daily WeCom report (<c>DailyReport:*</c>).</summary>
public sealed class DailyReportOptions : IValidatableObject
{
    public const string Section = "DailyReport";
    public const string ScheduleSetting = "DailyReport:Schedule";

    /// <summary>00:05 Beijing time. Functions on Linux schedules in UTC, so the hour is 16.</summary>
    public const string DefaultSchedule = "0 5 16 * * *";

    /// <summary>NCRONTAB, six fields, UTC; the Functions trigger reads it as <c>%DailyReport:Schedule%</c>.</summary>
    public string Schedule { get; set; } = DefaultSchedule;

    [Range(1, 20)]
    public int TopDistricts { get; set; } = 5;

    /// <summary>How long one run keeps retrying a send the robot deferred; under the 10-minute function timeout.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:08:00")]
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A claim not renewed for this long belongs to a run that died, and the next run may take it over.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "01:00:00")]
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Each run also retries reports of this many earlier days that were claimed but never sent.</summary>
    [Range(0, 31)]
    public int CatchUpDays { get; set; } = 3;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!CronSchedule.TryParse(Schedule, out _, out var error))
            yield return new ValidationResult($"{ScheduleSetting}: {error}", [nameof(Schedule)]);
    }
}
