using System.Diagnostics;
using Azure.Storage.Queues;
using HuiminBao.Diagnostics;
using Microsoft.Extensions.Logging;

namespace HuiminBao.Queues;

/// <summary>
/// Group commit for a queue: items sent while an earlier message to the queue is in flight go out
/// together as one message listing them all. Each caller's task completes when the message holding
/// its item is on the queue, or fails with that message's failure, exactly as if it had sent alone.
/// A caller that gives up takes its item out if it hasn't gone yet. An item already in a message on
/// its way can't be taken back, so its caller hears how that send ended (bounded by the storage
/// client's timeouts) instead of a cancellation: told "failed" about an item that landed, it would
/// queue the item again on its retry.
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

    /// <summary>
    /// Sends at once when a full message is waiting. One send at a time groups best, but caps
    /// throughput at <see cref="MaxItems"/> per round trip, and a slow moment of the queue service
    /// would then back everyone up behind it.
    /// </summary>
    public const int MaxInFlight = 4;

    /// <summary>
    /// How long items that arrived during a send wait for company before the next send. Only under
    /// load (a lone item still goes at once). Azurite's queue service stalls once a minute for a time
    /// that grows much faster than the number of messages sent since (docs/BENCHMARKS.md), so
    /// fewer, fuller messages matter more locally than the few milliseconds this adds.
    /// </summary>
    public static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(20);

    private readonly Lock _gate = new();
    private readonly Queue<Pending> _waiting = new();
    private int _inFlight;

    /// <summary>The message body for these items.</summary>
    protected abstract BinaryData Serialize(IReadOnlyList<TItem> items);

    /// <summary>Sends one message; a derived sender wraps it to say whose call it is (intake's goes first).</summary>
    protected virtual Task SendMessageAsync(QueueClient queue, BinaryData body) =>
        // Sent on no caller's token: the message is shared, and a caller giving up must not cancel the others' send.
        queue.SendMessageAsync(body, visibilityTimeout: null, timeToLive: QueueRetention.MessageTimeToLive, CancellationToken.None);

    /// <summary>How long the oldest item still waiting to go has waited: zero while sends keep up, growing while the queue service stalls or throttles.</summary>
    public TimeSpan Lag
    {
        get
        {
            lock (_gate)
            {
                foreach (var pending in _waiting)
                {
                    if (!pending.Sent.Task.IsCompleted)
                        return Stopwatch.GetElapsedTime(pending.Since);
                }
                return TimeSpan.Zero;
            }
        }
    }

    public Task SendAsync(TItem item, CancellationToken cancellationToken)
    {
        var pending = new Pending(item);
        List<Pending>? batch;
        lock (_gate)
        {
            _waiting.Enqueue(pending);
            batch = TakeIfDue();
        }
        if (batch is not null)
            _ = Task.Run(() => SendAndContinueAsync(batch), CancellationToken.None);
        return WaitAsync(pending, cancellationToken);
    }

    /// <summary>A caller that gives up takes its item out, if it hasn't gone yet, so an overloaded queue isn't also sent what nobody waits for.</summary>
    private async Task WaitAsync(Pending pending, CancellationToken cancellationToken)
    {
        using (cancellationToken.Register(() => Abandon(pending, cancellationToken)))
            await pending.Sent.Task;
    }

    private void Abandon(Pending pending, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!pending.Taken)
                pending.Sent.TrySetCanceled(cancellationToken);
        }
    }

    private async Task SendAndContinueAsync(List<Pending>? batch)
    {
        while (batch is not null)
        {
            await SendBatchAsync(batch);
            bool lingering;
            lock (_gate)
                lingering = _waiting.Count is > 0 and < MaxItems;
            if (lingering)
                await Task.Delay(Linger);
            lock (_gate)
            {
                _inFlight--;
                batch = TakeIfDue();
            }
        }
    }

    /// <summary>Under the lock: the next message to send now, if one is due.</summary>
    private List<Pending>? TakeIfDue()
    {
        var due = _inFlight == 0 || (_waiting.Count >= MaxItems && _inFlight < MaxInFlight);
        if (!due)
            return null;
        var batch = new List<Pending>(Math.Min(_waiting.Count, MaxItems));
        while (batch.Count < MaxItems && _waiting.TryDequeue(out var next))
        {
            if (next.Sent.Task.IsCompleted)
                continue;
            next.Taken = true;
            batch.Add(next);
        }
        if (batch.Count == 0)
            return null;
        _inFlight++;
        return batch;
    }

    private async Task SendBatchAsync(List<Pending> batch)
    {
        try
        {
            var body = Serialize([.. batch.Select(p => p.Item)]);
            if (body.ToMemory().Length > MaxBytes && batch.Count > 1)
            {
                // Rare (many large households at once): halve until each part fits.
                var half = batch.Count / 2;
                await SendBatchAsync(batch[..half]);
                await SendBatchAsync(batch[half..]);
                return;
            }

            await SendMessageAsync(queue, body);
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

    [LoggerMessage(EventId = LogEvents.Queues + 1, Level = LogLevel.Debug, Message = "Group send: {Items} items in one message to {Queue}")]
    private static partial void LogGrouped(ILogger logger, int items, string queue);

    private sealed record Pending(TItem Item)
    {
        public long Since { get; } = Stopwatch.GetTimestamp();

        public TaskCompletionSource Sent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>In a message being sent (set under the lock): from then on only the send's outcome answers it.</summary>
        public bool Taken { get; set; }
    }
}
