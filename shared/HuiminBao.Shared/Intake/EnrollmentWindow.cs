using HuiminBao.Domain;
using Microsoft.Extensions.Options;

namespace HuiminBao.Intake;

/// <summary>The enrollment window as of now: which plan year is open and whether it is open yet or still.</summary>
public sealed class EnrollmentWindow
{
    private readonly EnrollmentOptions _options;
    private readonly DateTimeOffset _now;

    public EnrollmentWindow(EnrollmentOptions options, TimeProvider time)
    {
        _options = options;
        _now = time.GetUtcNow();
        PlanYear = options.EffectivePlanYear(time);
        Today = BeijingTime.DayOf(_now);
    }

    public static EnrollmentWindow Now(IOptions<EnrollmentOptions> options, TimeProvider time) => new(options.Value, time);

    public int PlanYear { get; }

    public DateOnly Today { get; }

    /// <summary>Null when sign-ups for <paramref name="planYear"/> are accepted now, else the failing rule's code.</summary>
    public string? Check(int planYear)
    {
        if (planYear != PlanYear)
            return ErrorCodes.PlanYearMismatch;
        if (_options.OpensAt is { } opens && _now < opens)
            return ErrorCodes.EnrollmentNotOpen;
        if (_options.ClosesAt is { } closes && _now >= closes)
            return ErrorCodes.EnrollmentClosed;
        return null;
    }
}
