using System.Text.Json.Serialization.Metadata;
using HuiminBao.Enrollment;
using HuiminBao.Health;
using HuiminBao.Intake;
using HuiminBao.Notifications;
using HuiminBao.Privacy;
using HuiminBao.Queues;
using HuiminBao.Reports;
using HuiminBao.Reviews;
using HuiminBao.Roster;
using HuiminBao.SignUps;
using HuiminBao.Timers;
using Microsoft.Extensions.DependencyInjection;

namespace HuiminBao.Hosting;

/// <summary>A queue-triggered function: its name, its queue, and how a message reaches its handler.</summary>
public sealed record QueueTrigger(string Function, string Queue, Type Handler, Func<IServiceProvider, BinaryData, QueueDelivery, CancellationToken, Task> Invoke);

/// <summary>A timer-triggered function: its name, the app setting its NCRONTAB schedule comes from, and its handler.</summary>
public sealed record TimerTrigger(string Function, string ScheduleSetting, string DefaultSchedule, Type Handler, Func<IServiceProvider, TimerFiring, CancellationToken, Task> Invoke)
{
    /// <summary>What <c>[TimerTrigger(...)]</c> says: the setting's value, resolved by the host.</summary>
    public string Schedule => "%" + ScheduleSetting + "%";
}

/// <summary>
/// Every queue and timer trigger, with the handler behind it. The local host runs a listener or a
/// timer per entry; the Functions app declares one function per entry (its attributes take the
/// queue names from <see cref="QueueNames"/>); tests hold both to this list.
/// </summary>
public static class PipelineTriggers
{
    public static readonly IReadOnlyList<QueueTrigger> Queues =
    [
        Queue<SignUpBatch, SignUpValidation>("ValidateSignUp", QueueNames.SignUps, SignUpJson.Default.SignUpBatch),
        Queue<SignUpBatch, SignUpPoisonReview>("ReviewPoisonedSignUp", QueueNames.SignUpsPoison, SignUpJson.Default.SignUpBatch),
        Queue<NotificationBatch, NotificationDispatch>("NotifyApplicant", QueueNames.Notifications, NotificationJson.Default.NotificationBatch),
        Queue<NotificationBatch, NotificationPoisonReview>("ReviewPoisonedNotification", QueueNames.NotificationsPoison, NotificationJson.Default.NotificationBatch),
        Queue<RosterImportQueued, RosterImportHandler>("ImportRoster", QueueNames.RosterImports, RosterJson.Default.RosterImportQueued),
    ];

    public static readonly IReadOnlyList<TimerTrigger> Timers =
    [
        Timer<DailyReport>(DailyReport.FunctionName, DailyReportOptions.ScheduleSetting, DailyReportOptions.DefaultSchedule),
        Timer<HealthWatch>(HealthWatch.FunctionName, HealthOptions.WatchScheduleSetting, HealthOptions.DefaultWatchSchedule),
        Timer<RetentionPurge>(RetentionPurge.FunctionName, RetentionOptions.ScheduleSetting, RetentionOptions.DefaultSchedule),
        Timer<SignUpSweep>(SignUpSweep.FunctionName, SignUpSweepOptions.ScheduleSetting, SignUpSweepOptions.DefaultSchedule),
    ];

    /// <summary>A message that isn't valid JSON for its type fails like any handler error: retried, then poisoned.</summary>
    private static QueueTrigger Queue<TMessage, THandler>(string function, string queue, JsonTypeInfo<TMessage> json)
        where THandler : class, IQueueHandler<TMessage> =>
        new(function, queue, typeof(THandler), (services, body, delivery, cancellationToken) =>
            services.GetRequiredService<THandler>().HandleAsync(QueueMessages.Read(body, json), delivery, cancellationToken));

    private static TimerTrigger Timer<THandler>(string function, string setting, string defaultSchedule)
        where THandler : class, ITimerHandler =>
        new(function, setting, defaultSchedule, typeof(THandler), (services, firing, cancellationToken) =>
            services.GetRequiredService<THandler>().RunAsync(firing, cancellationToken));
}
