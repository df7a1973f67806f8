using HuiminBao.Functions.Hosting;
using HuiminBao.Privacy;
using Microsoft.Azure.Functions.Worker;

namespace HuiminBao.Functions.Privacy;

public sealed class PurgeExpiredPersonalData(RetentionPurge purge, TimeProvider time)
{
    [Function(RetentionPurge.FunctionName)]
    public Task Run([TimerTrigger("%" + RetentionOptions.ScheduleSetting + "%")] TimerInfo timer, CancellationToken cancellationToken) =>
        purge.RunAsync(timer.Firing(time), cancellationToken);
}
