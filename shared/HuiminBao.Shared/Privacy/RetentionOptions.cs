using System.ComponentModel.DataAnnotations;
using HuiminBao.Timers;

namespace HuiminBao.Privacy;

/// <summary>How long personal data is kept, and the timer that purges it (<c>Retention:*</c>).</summary>
public sealed class RetentionOptions : IValidatableObject
{
    public const string Section = "Retention";
    public const string ScheduleSetting = "Retention:Schedule";

    /// <summary>03:30 Beijing time (19:30 UTC): after the daily report, before the working day.</summary>
    public const string DefaultSchedule = "0 30 19 * * *";

    /// <summary>
    /// How long after a plan year's enrollment window closes its sign-ups' personal data is kept:
    /// long enough for the insurer's policy issuance, corrections and complaints about the window,
    /// and no longer (PIPL art. 19: the shortest time the purpose needs).
    /// </summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan PurgeAfter { get; set; } = TimeSpan.FromDays(90);

    /// <summary>NCRONTAB, six fields, UTC; the Functions trigger reads it as <c>%Retention:Schedule%</c>.</summary>
    public string Schedule { get; set; } = DefaultSchedule;

    /// <summary>
    /// A roster drop (plaintext bureau file uploaded straight to storage) is imported within minutes of
    /// its upload, which must start within its 30-minute upload window; one still there after this
    /// was abandoned, and is deleted.
    /// </summary>
    [Range(typeof(TimeSpan), "01:00:00", "7.00:00:00")]
    public TimeSpan RosterDropsAfter { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Records read and erased together; each erasure is one transaction.</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 100;

    /// <summary>Erasures in flight at once.</summary>
    [Range(1, 64)]
    public int Parallelism { get; set; } = 8;

    /// <summary>
    /// A run stops starting batches after this long, well inside the Functions timeout; the next run
    /// carries on where it stopped, since purged records no longer match the scan.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:20:00")]
    public TimeSpan RunFor { get; set; } = TimeSpan.FromMinutes(8);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!CronSchedule.TryParse(Schedule, out _, out var error))
            yield return new ValidationResult($"{ScheduleSetting}: {error}", [nameof(Schedule)]);
    }
}
