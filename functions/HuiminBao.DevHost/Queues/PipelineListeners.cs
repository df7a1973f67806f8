using HuiminBao.Notifications;
using HuiminBao.SignUps;
using HuiminBao.Reviews;
using HuiminBao.Roster;
using HuiminBao.Storage;
using HuiminBao.Validation;

namespace HuiminBao.DevHost.Queues;

/// <summary>The local host's queue listeners: one per <c>[QueueTrigger]</c> function in the Functions app.</summary>
public static class PipelineListeners
{
    public static IHostApplicationBuilder AddPipelineListeners(this IHostApplicationBuilder builder)
    {
        builder.AddQueueListener<SignUpQueued, SignUpValidation>(QueueNames.SignUps, PipelineJson.Default.SignUpQueued);
        builder.AddQueueListener<SignUpQueued, SignUpPoisonReview>(QueueNames.SignUpsPoison, PipelineJson.Default.SignUpQueued);
        builder.AddQueueListener<NotificationQueued, NotificationDispatch>(QueueNames.Notifications, NotificationJson.Default.NotificationQueued);
        builder.AddQueueListener<NotificationQueued, NotificationPoisonReview>(QueueNames.NotificationsPoison, NotificationJson.Default.NotificationQueued);
        builder.AddQueueListener<RosterImportQueued, RosterImportHandler>(QueueNames.RosterImports, RosterJson.Default.RosterImportQueued);
        return builder;
    }
}
