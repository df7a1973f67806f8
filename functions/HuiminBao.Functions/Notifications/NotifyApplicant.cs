using HuiminBao.Notifications;
using HuiminBao.Queues;
using Microsoft.Azure.Functions.Worker;

namespace HuiminBao.Functions.Notifications;

public sealed class NotifyApplicant(NotificationDispatch dispatch)
{
    [Function(nameof(NotifyApplicant))]
    public Task Run([QueueTrigger(QueueNames.Notifications)] string message, FunctionContext context, CancellationToken cancellationToken) =>
        dispatch.HandleAsync(QueueMessages.Read(message, NotificationJson.Default.NotificationBatch), QueueDeliveries.From(context), cancellationToken);
}
