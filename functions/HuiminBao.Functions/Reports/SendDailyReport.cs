using HuiminBao.Functions.Hosting;
using HuiminBao.Reports;
using Microsoft.Azure.Functions.Worker;

namespace HuiminBao.Functions.Reports;

public sealed class SendDailyReport(DailyReport report, TimeProvider time)
{
    [Function(DailyReport.FunctionName)]
    public Task Run([TimerTrigger("%" + DailyReportOptions.ScheduleSetting + "%")] TimerInfo timer, CancellationToken cancellationToken) =>
        report.RunAsync(timer.Firing(time), cancellationToken);
}
