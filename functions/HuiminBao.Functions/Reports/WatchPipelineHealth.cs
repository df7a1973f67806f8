using HuiminBao.Health;
using HuiminBao.Timers;
using Microsoft.Azure.Functions.Worker;

namespace HuiminBao.Functions.Reports;

public sealed class WatchPipelineHealth(HealthWatch watch, TimeProvider time)
{
    [Function(HealthWatch.FunctionName)]
    public Task Run([TimerTrigger("%" + HealthOptions.WatchScheduleSetting + "%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return watch.RunAsync(TimerFiring.At(now, now) with { IsPastDue = timer.IsPastDue }, cancellationToken);
    }
}
