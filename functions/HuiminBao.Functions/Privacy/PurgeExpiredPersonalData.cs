using HuiminBao.Privacy;
using HuiminBao.Timers;
using Microsoft.Azure.Functions.Worker;

namespace HuiminBao.Functions.Privacy;

public sealed class PurgeExpiredPersonalData(RetentionPurge purge, TimeProvider time)
{
    [Function(RetentionPurge.FunctionName)]
    public Task Run([TimerTrigger("%Retention:Schedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return purge.RunAsync(TimerFiring.At(now, now) with { IsPastDue = timer.IsPastDue }, cancellationToken);
    }
}
