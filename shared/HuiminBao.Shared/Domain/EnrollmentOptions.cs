using System.ComponentModel.DataAnnotations;

namespace HuiminBao.Domain;

/// <summary>The open enrollment window (<c>Enrollment:*</c>). Unset bounds mean open on that side.</summary>
public sealed class EnrollmentOptions
{
    public const string Section = "Enrollment";

    /// <summary>0 means the current Beijing year, which is what a developer running locally wants.</summary>
    [Range(0, 2100)]
    public int PlanYear { get; set; }

    public DateTimeOffset? OpensAt { get; set; }

    public DateTimeOffset? ClosesAt { get; set; }

    public int EffectivePlanYear(TimeProvider time) => PlanYear != 0 ? PlanYear : BeijingTime.Today(time).Year;
}
