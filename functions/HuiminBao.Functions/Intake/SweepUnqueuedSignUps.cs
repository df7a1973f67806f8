using HuiminBao.Functions.Hosting;
using HuiminBao.Intake;
using Microsoft.Azure.Functions.Worker;

namespace HuiminBao.Functions.Intake;

public sealed class SweepUnqueuedSignUps(SignUpSweep sweep, TimeProvider time)
{
    [Function(SignUpSweep.FunctionName)]
    public Task Run([TimerTrigger("%" + SignUpSweepOptions.ScheduleSetting + "%")] TimerInfo timer, CancellationToken cancellationToken) =>
        sweep.RunAsync(timer.Firing(time), cancellationToken);
}
