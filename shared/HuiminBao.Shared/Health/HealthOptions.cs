using System.ComponentModel.DataAnnotations;

namespace HuiminBao.Health;

/// <summary>Launch-day health (<c>Health:*</c>): how often instances report, how long a reading is reused, and when ops are alerted.</summary>
public sealed class HealthOptions
{
    public const string Section = "Health";
    public const string WatchScheduleSetting = "Health:WatchSchedule";

    /// <summary>Every minute: a backlog building up should reach ops within minutes, not at the daily report.</summary>
    public const string DefaultWatchSchedule = "0 * * * * *";

    /// <summary>How often each instance writes its counts: the dashboard trails by about this much.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A reading is reused this long, so a room of dashboards costs storage as one does.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan CacheFor { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Minutes shown for "accepted per minute" and used for the lag percentiles.</summary>
    [Range(1, 60)]
    public int Minutes { get; set; } = 10;

    /// <summary>Ops are alerted when the 95th-percentile time from intake to decision passes this.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan LagAlertAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>...or when the oldest sign-up on the queue has waited this long.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan BacklogAlertAfter { get; set; } = TimeSpan.FromMinutes(10);

    public string WatchSchedule { get; set; } = DefaultWatchSchedule;
}
