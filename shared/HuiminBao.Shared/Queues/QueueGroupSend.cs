using System.Collections.Concurrent;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging;

namespace HuiminBao.Queues;

/// <summary>
/// Group commit for a queue: items sent while an earlier message to the queue is in flight go out
/// together as one message listing them all. Each caller's task completes when the message holding
/// its item is on the queue, or fails with that message's failure, exactly as if it had sent alone.
/// <para>
/// Azurite's queue service, and its cost per call, is what limits launch-day throughput: each item
/// sent alone costs a send, a delete and a share of a receive, and deepens the queue, which makes
/// every receive and delete slower. Under load this turns up to <see cref="MaxItems"/> sends (and the
/// receives and deletes behind them) into one; at low load each item simply goes out on its own.
/// </para>
/// </summary>
public abstract partial class QueueGroupSend<TItem>(QueueClient queue, ILogger logger)
{
    /// <summary>Items per message. A consumer handles a message's items together, so this also bounds that work.</summary>
    public const int MaxItems = 32;

    /// <summary>JSON bytes per message: 64 KiB of base64 holds 48 KiB; the rest is headroom.</summary>
    public const int MaxBytes = 40 * 1024;

    private readonly ConcurrentQueue<Pending> _waiting = new();
    private int _sending;

    /// <summary>The message body for these items.</summary>
    protected abstract BinaryData Serialize(IReadOnlyList<TItem> items);

    public Task SendAsync(TItem item, CancellationToken cancellationToken)
    {
        var pending = new Pending(item);
        _waiting.Enqueue(pending);
        if (Interlocked.CompareExchange(ref _sending, 1, 0) == 0)
            _ = Task.Run(SendWhileWaitingAsync, CancellationToken.None);
        return pending.Sent.Task.WaitAsync(cancellationToken);
    }

    private async Task SendWhileWaitingAsync()
    {
        while (true)
        {
            var batch = new List<Pending>(MaxItems);
            while (batch.Count < MaxItems && _waiting.TryDequeue(out var next))
                batch.Add(next);
            if (batch.Count > 0)
            {
                await SendBatchAsync(batch);
                continue;
            }
            Volatile.Write(ref _sending, 0);
            // An item may have arrived between the last dequeue and the flag dropping: take it on ourselves.
            if (_waiting.IsEmpty || Interlocked.CompareExchange(ref _sending, 1, 0) != 0)
                return;
        }
    }

    private async Task SendBatchAsync(List<Pending> batch)
    {
        var body = Serialize([.. batch.Select(p => p.Item)]);
        if (body.ToMemory().Length > MaxBytes && batch.Count > 1)
        {
            // Rare (households of eight with long relations): halve until each part fits.
            var half = batch.Count / 2;
            await SendBatchAsync(batch[..half]);
            await SendBatchAsync(batch[half..]);
            return;
        }

        try
        {
            // Sent on no caller's token: the message is shared, and a caller giving up must not cancel the others' send.
            await queue.SendMessageAsync(body, visibilityTimeout: null, timeToLive: TimeSpan.FromSeconds(-1), CancellationToken.None);
            foreach (var pending in batch)
                pending.Sent.TrySetResult();
            if (batch.Count > 1)
                LogGrouped(logger, batch.Count, queue.Name);
        }
        catch (Exception e)
        {
            // Every caller hears of it, whatever it was: none may wait forever for a message that won't come.
            foreach (var pending in batch)
                pending.Sent.TrySetException(e);
        }
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Debug, Message = "Group send: {Items} items in one message to {Queue}")]
    private static partial void LogGrouped(ILogger logger, int items, string queue);

    private sealed record Pending(TItem Item)
    {
        public TaskCompletionSource Sent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
