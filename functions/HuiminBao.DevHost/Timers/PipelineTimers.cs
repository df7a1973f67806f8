using HuiminBao.Hosting;
using HuiminBao.Timers;

namespace HuiminBao.DevHost.Timers;

/// <summary>The local host's timers: one per timer trigger of <see cref="PipelineTriggers"/>, on the schedule its setting names.</summary>
public static class PipelineTimers
{
    public static IHostApplicationBuilder AddPipelineTimers(this IHostApplicationBuilder builder)
    {
        // Tests that fire handlers by hand turn the timers off with DevHost:Timers=false.
        if (!builder.Configuration.GetValue("DevHost:Timers", true))
            return builder;
        foreach (var trigger in PipelineTriggers.Timers)
        {
            // As Functions resolves %Setting%; unset locally means the default schedule.
            var configured = builder.Configuration[trigger.ScheduleSetting];
            var schedule = CronSchedule.Parse(string.IsNullOrWhiteSpace(configured) ? trigger.DefaultSchedule : configured);
            builder.Services.AddSingleton<IHostedService>(services => ActivatorUtilities.CreateInstance<TimerListener>(services, trigger, schedule));
        }
        return builder;
    }
}
