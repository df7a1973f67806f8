using HuiminBao.Enrollment;
using HuiminBao.Notifications;
using HuiminBao.Queues;
using HuiminBao.Reviews;
using HuiminBao.Roster;
using HuiminBao.SignUps;

namespace HuiminBao.DevHost.Queues;

/// <summary>The local host's queue listeners: one per <c>[QueueTrigger]</c> function in the Functions app.</summary>
public static class PipelineListeners
{
    public static IHostApplicationBuilder AddPipelineListeners(this IHostApplicationBuilder builder)
    {
        builder.AddQueueListener<SignUpBatch, SignUpValidation>(QueueNames.SignUps, SignUpJson.Default.SignUpBatch);
        builder.AddQueueListener<SignUpBatch, SignUpPoisonReview>(QueueNames.SignUpsPoison, SignUpJson.Default.SignUpBatch);
        builder.AddQueueListener<NotificationBatch, NotificationDispatch>(QueueNames.Notifications, NotificationJson.Default.NotificationBatch);
        builder.AddQueueListener<NotificationBatch, NotificationPoisonReview>(QueueNames.NotificationsPoison, NotificationJson.Default.NotificationBatch);
        builder.AddQueueListener<RosterImportQueued, RosterImportHandler>(QueueNames.RosterImports, RosterJson.Default.RosterImportQueued);
        return builder;
    }
}
