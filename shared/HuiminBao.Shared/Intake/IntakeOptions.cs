using System.ComponentModel.DataAnnotations;

namespace HuiminBao.Intake;

/// <summary>Intake limits (<c>Intake:*</c>).</summary>
public sealed class IntakeOptions
{
    public const string Section = "Intake";

    /// <summary>A household of eight with long names is under 3 KiB; anything near this is not a sign-up.</summary>
    [Range(1024, 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 16 * 1024;

    /// <summary>How long the request that stored a sign-up has to get its message on the queue before a retry may take over.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan EnqueueClaim { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// A household posted again without a key this soon after its sign-up was decided replays that
    /// sign-up instead of being evaluated anew: that is a double tap or a client's retry racing a
    /// quick decision, not a corrected roster.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ReevaluateAfter { get; set; } = TimeSpan.FromMinutes(1);
}
