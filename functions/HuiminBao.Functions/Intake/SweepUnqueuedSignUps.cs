using HuiminBao.Intake;
using HuiminBao.Timers;
using Microsoft.Azure.Functions.Worker;

namespace HuiminBao.Functions.Intake;

public sealed class SweepUnqueuedSignUps(SignUpSweep sweep, TimeProvider time)
{
    [Function(SignUpSweep.FunctionName)]
    public Task Run([TimerTrigger("%SignUpSweep:Schedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return sweep.RunAsync(TimerFiring.At(now, now) with { IsPastDue = timer.IsPastDue }, cancellationToken);
    }
}
