using HuiminBao.Notifications;
using HuiminBao.Queues;
using Microsoft.Azure.Functions.Worker;

namespace HuiminBao.Functions.Notifications;

public sealed class ReviewPoisonedNotification(NotificationPoisonReview review)
{
    [Function(nameof(ReviewPoisonedNotification))]
    public Task Run([QueueTrigger(QueueNames.NotificationsPoison)] string message, FunctionContext context, CancellationToken cancellationToken) =>
        review.HandleAsync(QueueMessages.Read(message, NotificationJson.Default.NotificationBatch), QueueDeliveries.From(context), cancellationToken);
}
