using HuiminBao.Intake;
using HuiminBao.Reports;

namespace HuiminBao.DevHost.Timers;

/// <summary>The local host's timers: one per <c>[TimerTrigger]</c> function in the Functions app.</summary>
public static class PipelineTimers
{
    public static IHostApplicationBuilder AddPipelineTimers(this IHostApplicationBuilder builder)
    {
        builder.AddTimer<DailyReport>(DailyReport.FunctionName, "%" + DailyReportOptions.ScheduleSetting + "%", DailyReportOptions.DefaultSchedule);
        builder.AddTimer<SignUpSweep>(SignUpSweep.FunctionName, "%" + SignUpSweepOptions.ScheduleSetting + "%", SignUpSweepOptions.DefaultSchedule);
        return builder;
    }
}
