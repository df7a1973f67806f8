using HuiminBao.Reports;
using HuiminBao.Timers;
using Microsoft.Azure.Functions.Worker;

namespace HuiminBao.Functions.Reports;

public sealed class SendDailyReport(DailyReport report, TimeProvider time)
{
    [Function(DailyReport.FunctionName)]
    public Task Run([TimerTrigger("%DailyReport:Schedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return report.RunAsync(TimerFiring.At(now, now) with { IsPastDue = timer.IsPastDue }, cancellationToken);
    }
}
