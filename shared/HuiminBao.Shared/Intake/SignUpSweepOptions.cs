using System.ComponentModel.DataAnnotations;
using HuiminBao.Timers;

namespace HuiminBao.Intake;

/// <summary>The sweep that queues sign-ups stored but never queued (<c>SignUpSweep:*</c>).</summary>
public sealed class SignUpSweepOptions : IValidatableObject
{
    public const string Section = "SignUpSweep";
    public const string ScheduleSetting = "SignUpSweep:Schedule";

    /// <summary>Every five minutes: a stranded sign-up waits at most that plus <see cref="MinAge"/>.</summary>
    public const string DefaultSchedule = "0 */5 * * * *";

    /// <summary>NCRONTAB, six fields, UTC; the Functions trigger reads it as <c>%SignUpSweep:Schedule%</c>.</summary>
    public string Schedule { get; set; } = DefaultSchedule;

    /// <summary>
    /// Only sign-ups accepted at least this long ago are looked at: younger ones may still be in the
    /// hands of the request that stored them (its claim lasts <c>Intake:EnqueueClaim</c>, 15 s, and its
    /// send up to 10 s more), and their client's retry queues them sooner anyway.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:30", "1.00:00:00")]
    public TimeSpan MinAge { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>At most this many sign-ups per run, so one run stays short whatever it finds; the next run takes the rest.</summary>
    [Range(1, 10_000)]
    public int MaxPerRun { get; set; } = 500;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!CronSchedule.TryParse(Schedule, out _, out var error))
            yield return new ValidationResult($"{ScheduleSetting}: {error}", [nameof(Schedule)]);
    }
}
