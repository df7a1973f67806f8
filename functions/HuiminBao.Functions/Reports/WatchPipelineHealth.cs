using HuiminBao.Functions.Hosting;
using HuiminBao.Health;
using Microsoft.Azure.Functions.Worker;

namespace HuiminBao.Functions.Reports;

public sealed class WatchPipelineHealth(HealthWatch watch, TimeProvider time)
{
    [Function(HealthWatch.FunctionName)]
    public Task Run([TimerTrigger("%" + HealthOptions.WatchScheduleSetting + "%")] TimerInfo timer, CancellationToken cancellationToken) =>
        watch.RunAsync(timer.Firing(time), cancellationToken);
}
