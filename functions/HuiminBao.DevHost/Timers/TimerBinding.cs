using HuiminBao.Timers;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HuiminBao.DevHost.Timers;

/// <summary>
/// A schedule and the handler it fires, as a <c>[TimerTrigger("%Setting%")]</c> binds them in the
/// Functions app. <see cref="ScheduleExpression"/> is the attribute's text; <see cref="Schedule"/> is
/// what it resolved to here.
/// </summary>
public sealed record TimerBinding(string Name, string ScheduleExpression, CronSchedule Schedule, Func<IServiceProvider, TimerFiring, CancellationToken, Task> Invoke);

public static class TimerBindings
{
    /// <summary>
    /// Adds a timer that runs <typeparamref name="THandler"/> on <paramref name="scheduleExpression"/>:
    /// an NCRONTAB expression, or <c>%Setting%</c> to read it from an app setting as Functions does
    /// (here falling back to <paramref name="defaultSchedule"/> when the setting is unset).
    /// </summary>
    public static IHostApplicationBuilder AddTimer<THandler>(this IHostApplicationBuilder builder, string name, string scheduleExpression, string defaultSchedule)
        where THandler : class, ITimerHandler
    {
        var resolved = scheduleExpression;
        if (scheduleExpression.Length > 2 && scheduleExpression.StartsWith('%') && scheduleExpression.EndsWith('%'))
        {
            var value = builder.Configuration[scheduleExpression[1..^1]];
            resolved = string.IsNullOrWhiteSpace(value) ? defaultSchedule : value;
        }
        var binding = new TimerBinding(name, scheduleExpression, CronSchedule.Parse(resolved),
            (services, firing, cancellationToken) => services.GetRequiredService<THandler>().RunAsync(firing, cancellationToken));
        builder.Services.TryAddScoped<THandler>();
        // Tests that fire handlers by hand turn the timers off with DevHost:Timers=false.
        if (builder.Configuration.GetValue("DevHost:Timers", true))
            builder.Services.AddSingleton<IHostedService>(services => ActivatorUtilities.CreateInstance<TimerListener>(services, binding));
        builder.Services.AddSingleton(binding);
        return builder;
    }
}
