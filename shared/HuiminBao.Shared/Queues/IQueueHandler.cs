namespace HuiminBao.Queues;

/// <summary>
/// A queue-triggered stage. Both hosts deliver each message here: the Functions app through a
/// <c>[QueueTrigger]</c>, the local host through its queue listener. Returning means done (the
/// message is deleted); throwing means not done, so the host makes the message visible again after
/// <c>visibilityTimeout</c> and, after <c>maxDequeueCount</c> attempts, moves it to <c>&lt;queue&gt;-poison</c>.
/// Handlers must be idempotent: any message may arrive again, at any point, after a crash.
/// </summary>
public interface IQueueHandler<in TMessage>
{
    Task HandleAsync(TMessage message, QueueDelivery delivery, CancellationToken cancellationToken);
}

/// <summary>What the host knows about this delivery of a message.</summary>
public sealed record QueueDelivery(string MessageId, long DequeueCount, DateTimeOffset? InsertedOn)
{
    public static QueueDelivery First(string messageId) => new(messageId, 1, null);
}
