using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using HuiminBao.Diagnostics;
using HuiminBao.Hosting;
using HuiminBao.Queues;
using HuiminBao.Storage;
using Microsoft.Extensions.Options;

namespace HuiminBao.DevHost.Queues;

/// <summary>
/// One queue, served the way the Functions queue trigger serves it: receive up to <c>batchSize</c>,
/// fetch more once in-flight work drops to <c>newBatchThreshold</c>, back off while the queue is
/// empty, delete on success, make visible again after <c>visibilityTimeout</c> on failure, and move
/// the message to <c>&lt;queue&gt;-poison</c> once it has been tried <c>maxDequeueCount</c> times.
/// </summary>
public sealed partial class QueueListener(
    QueueTrigger trigger,
    StorageAccount storage,
    IServiceScopeFactory scopes,
    IOptions<QueueListenerOptions> options,
    ILogger<QueueListener> logger) : BackgroundService
{
    private readonly QueueListenerOptions _options = options.Value;

    public QueueTrigger Trigger => trigger;
    private int _inFlight;
    private readonly SemaphoreSlim _slotFreed = new(0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var queue = storage.Queue(trigger.Queue);
        var poison = storage.Queue(QueueNames.PoisonOf(trigger.Queue));
        var backoff = new PollingBackoff(_options.MaxPollingInterval);
        while (true)
        {
            try
            {
                await queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
                await poison.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
                break;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogReceiveFailed(logger, trigger.Queue, e.GetType().Name);
                await Task.Delay(backoff.Next(), stoppingToken);
            }
        }
        LogListening(logger, trigger.Queue, _options.BatchSize, _options.MaxDequeueCount);

        var running = new HashSet<Task>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (Volatile.Read(ref _inFlight) > _options.EffectiveNewBatchThreshold)
                {
                    await _slotFreed.WaitAsync(stoppingToken);
                    continue;
                }

                QueueMessage[] messages;
                try
                {
                    messages = (await queue.ReceiveMessagesAsync(_options.BatchSize, _options.Lease, stoppingToken)).Value;
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // Storage slow or down (timeouts surface as AggregateException after the SDK's retries):
                    // a listener must outlive that, as the Functions host's does, and simply poll again.
                    LogReceiveFailed(logger, trigger.Queue, e.GetType().Name);
                    await Task.Delay(backoff.Next(), stoppingToken);
                    continue;
                }

                if (messages.Length == 0)
                {
                    await Task.Delay(backoff.Next(), stoppingToken);
                    continue;
                }

                backoff.Reset();
                running.RemoveWhere(t => t.IsCompleted);
                foreach (var message in messages)
                {
                    Interlocked.Increment(ref _inFlight);
                    running.Add(ProcessAsync(queue, poison, message, stoppingToken));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host shutting down; handlers in flight finish or are cancelled below.
        }
        await Task.WhenAll(running);
    }

    private async Task ProcessAsync(QueueClient queue, QueueClient poison, QueueMessage message, CancellationToken stoppingToken)
    {
        await Task.Yield();
        var receipt = new Receipt(message.MessageId, message.PopReceipt);
        using var renewal = new CancellationTokenSource();
        var renewing = RenewAsync(queue, receipt, renewal.Token);
        try
        {
            if (message.DequeueCount > _options.MaxDequeueCount)
            {
                // Delivered too often without an outcome (its handlers kept dying): poison it as Functions does.
                await MoveToPoisonAsync(queue, poison, message, receipt);
                return;
            }

            var failure = await InvokeAsync(message, stoppingToken);
            await renewal.CancelAsync();
            await renewing;
            if (failure is null)
            {
                await queue.DeleteMessageAsync(message.MessageId, receipt.PopReceipt, CancellationToken.None);
            }
            else if (message.DequeueCount >= _options.MaxDequeueCount)
            {
                await MoveToPoisonAsync(queue, poison, message, receipt);
            }
            else
            {
                await queue.UpdateMessageAsync(message.MessageId, receipt.PopReceipt, visibilityTimeout: _options.VisibilityTimeout, cancellationToken: CancellationToken.None);
            }
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException or TimeoutException or OperationCanceledException)
        {
            // Lost the message's lease (it will reappear and be handled again) or storage failed: both retry on their own.
            LogSettleFailed(logger, trigger.Queue, message.MessageId, e.GetType().Name);
        }
        finally
        {
            await renewal.CancelAsync();
            await renewing;
            Interlocked.Decrement(ref _inFlight);
            _slotFreed.Release();
        }
    }

    private async Task<Exception?> InvokeAsync(QueueMessage message, CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var delivery = new QueueDelivery(message.MessageId, message.DequeueCount, message.InsertedOn);
            await trigger.Invoke(scope.ServiceProvider, message.Body, delivery, stoppingToken);
            return null;
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested || e is not OperationCanceledException)
        {
            LogHandlerFailed(logger, e, trigger.Queue, message.MessageId, message.DequeueCount, _options.MaxDequeueCount);
            return e;
        }
        catch (OperationCanceledException e)
        {
            return e;
        }
    }

    private async Task MoveToPoisonAsync(QueueClient queue, QueueClient poison, QueueMessage message, Receipt receipt)
    {
        await poison.SendMessageAsync(message.Body, visibilityTimeout: null, timeToLive: QueueRetention.MessageTimeToLive, CancellationToken.None);
        await queue.DeleteMessageAsync(message.MessageId, receipt.PopReceipt, CancellationToken.None);
        LogPoisoned(logger, trigger.Queue, message.MessageId, message.DequeueCount);
    }

    /// <summary>Keeps a long-running message invisible, as the Functions host does, so nobody else picks it up meanwhile.</summary>
    private async Task RenewAsync(QueueClient queue, Receipt receipt, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_options.Lease / 2, cancellationToken);
                var updated = await queue.UpdateMessageAsync(receipt.MessageId, receipt.PopReceipt, visibilityTimeout: _options.Lease, cancellationToken: cancellationToken);
                receipt.PopReceipt = updated.Value.PopReceipt;
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException or TimeoutException)
        {
            LogSettleFailed(logger, trigger.Queue, receipt.MessageId, e.GetType().Name);
        }
    }

    private sealed class Receipt(string messageId, string popReceipt)
    {
        public string MessageId { get; } = messageId;

        public string PopReceipt { get; set; } = popReceipt;
    }

    [LoggerMessage(EventId = LogEvents.LocalQueues + 1, Level = LogLevel.Information, Message = "Listening on queue {Queue} (batchSize {BatchSize}, maxDequeueCount {MaxDequeueCount})")]
    private static partial void LogListening(ILogger logger, string queue, int batchSize, int maxDequeueCount);

    [LoggerMessage(EventId = LogEvents.LocalQueues + 2, Level = LogLevel.Warning, Message = "Handler for queue {Queue} failed on message {MessageId} (attempt {DequeueCount} of {MaxDequeueCount})")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string queue, string messageId, long dequeueCount, int maxDequeueCount);

    [LoggerMessage(EventId = LogEvents.LocalQueues + 3, Level = LogLevel.Error, Message = "Message {MessageId} moved from {Queue} to its poison queue after {DequeueCount} attempts")]
    private static partial void LogPoisoned(ILogger logger, string queue, string messageId, long dequeueCount);

    [LoggerMessage(EventId = LogEvents.LocalQueues + 4, Level = LogLevel.Warning, Message = "Receiving from queue {Queue} failed ({Error}); backing off")]
    private static partial void LogReceiveFailed(ILogger logger, string queue, string error);

    [LoggerMessage(EventId = LogEvents.LocalQueues + 5, Level = LogLevel.Warning, Message = "Could not settle message {MessageId} on {Queue} ({Error}); it will be delivered again")]
    private static partial void LogSettleFailed(ILogger logger, string queue, string messageId, string error);
}
