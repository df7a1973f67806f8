using HuiminBao.Timers;
using Microsoft.Azure.Functions.Worker;

namespace HuiminBao.Functions.Hosting;

/// <summary>What a Functions timer trigger hands over, as the shared timer handlers take it.</summary>
public static class TimerFirings
{
    /// <summary>The isolated worker's <see cref="TimerInfo"/> doesn't say when the occurrence was due, only whether it is past due.</summary>
    public static TimerFiring Firing(this TimerInfo timer, TimeProvider time)
    {
        var now = time.GetUtcNow();
        return TimerFiring.At(now, now) with { IsPastDue = timer.IsPastDue };
    }
}
