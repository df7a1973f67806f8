using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Queues;
using HuiminBao.Queues;
using HuiminBao.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace HuiminBao.Tests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class QueueGroupSendTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Items_sent_while_a_message_is_in_flight_share_the_next_messages()
    {
        var gate = new HoldFirstSend();
        var (queue, sends) = await QueueAsync(gate);

        var first = sends.SendAsync("item-000", default);
        await gate.FirstArrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var rest = Enumerable.Range(1, 99).Select(i => sends.SendAsync($"item-{i:000}", default)).ToList();

        // A slow send doesn't back up full messages: three go out beside it; the last 3 items wait for it.
        await Task.WhenAll(rest.Take(96));
        Assert.Equal(3, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        Assert.All(rest.Skip(96), t => Assert.False(t.IsCompleted));
        gate.Release();
        await Task.WhenAll(rest.Append(first));

        var messages = await DrainAsync(queue);
        Assert.Equal([1, 3, 32, 32, 32], messages.Select(m => m.Length).Order());
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"item-{i:000}"), messages.SelectMany(m => m).Order());
    }

    [Fact]
    public async Task A_caller_that_gives_up_before_its_item_goes_takes_the_item_out()
    {
        var gate = new HoldFirstSend();
        var (queue, sends) = await QueueAsync(gate);

        var first = sends.SendAsync("first", default);
        await gate.FirstArrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        using var giveUp = new CancellationTokenSource();
        var abandoned = sends.SendAsync("abandoned", giveUp.Token);
        var kept = sends.SendAsync("kept", default);
        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        gate.Release();
        await Task.WhenAll(first, kept);

        Assert.Equal(["first", "kept"], (await DrainAsync(queue)).SelectMany(m => m).Order());
    }

    [Fact]
    public async Task A_caller_that_gives_up_while_its_item_is_being_sent_hears_how_the_send_ended_and_the_item_goes_once()
    {
        var gate = new HoldFirstSend();
        var (queue, sends) = await QueueAsync(gate);
        using var giveUp = new CancellationTokenSource();

        var inFlight = sends.SendAsync("in-flight", giveUp.Token);
        await gate.FirstArrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await giveUp.CancelAsync();
        await Task.Delay(200);
        Assert.False(inFlight.IsCompleted, "a caller whose item is on its way was told it failed");
        gate.Release();

        await inFlight.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["in-flight"], (await DrainAsync(queue)).SelectMany(m => m));
    }

    [Fact]
    public async Task A_caller_that_gave_up_during_a_send_that_then_failed_hears_the_failure_not_a_cancellation()
    {
        var gate = new HoldFirstSend { FailFirst = true };
        var (_, sends) = await QueueAsync(gate);
        using var giveUp = new CancellationTokenSource();

        var inFlight = sends.SendAsync("lost", giveUp.Token);
        await gate.FirstArrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await giveUp.CancelAsync();
        gate.Release();

        Assert.Equal(503, (await Assert.ThrowsAsync<RequestFailedException>(() => inFlight.WaitAsync(TimeSpan.FromSeconds(10)))).Status);
    }

    [Fact]
    public async Task A_failed_send_fails_every_caller_whose_item_it_held_and_the_next_one_goes_through()
    {
        var gate = new HoldFirstSend { FailFirst = true };
        var (queue, sends) = await QueueAsync(gate);

        var first = sends.SendAsync("lost-0", default);
        await gate.FirstArrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var waiting = Enumerable.Range(1, 5).Select(i => sends.SendAsync($"sent-{i}", default)).ToList();
        gate.Release();

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => first);
        Assert.Equal(503, failure.Status);
        await Task.WhenAll(waiting);
        await sends.SendAsync("sent-6", default);
        Assert.Equal(["sent-1", "sent-2", "sent-3", "sent-4", "sent-5", "sent-6"], (await DrainAsync(queue)).SelectMany(m => m).Order());
    }

    [Fact]
    public async Task Items_too_big_to_share_one_message_are_split_to_fit()
    {
        var gate = new HoldFirstSend();
        var (queue, sends) = await QueueAsync(gate);
        var big = new string('x', 9 * 1024);

        var first = sends.SendAsync("small", default);
        await gate.FirstArrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var rest = Enumerable.Range(0, 12).Select(i => sends.SendAsync($"{i:00}{big}", default)).ToList();
        gate.Release();
        await Task.WhenAll(rest.Append(first));

        var messages = await DrainAsync(queue);
        Assert.Equal(13, messages.Sum(m => m.Length));
        Assert.All(messages, m => Assert.True(JsonSerializer.SerializeToUtf8Bytes(m).Length <= QueueGroupSend<string>.MaxBytes));
        Assert.True(messages.Count <= 6, $"{messages.Count} messages for 13 items");
    }

    private async Task<(QueueClient Queue, StringSends Sends)> QueueAsync(HoldFirstSend gate)
    {
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        options.AddPolicy(gate, HttpPipelinePosition.PerCall);
        var queue = new QueueClient(azurite.NewAccount(), "groupsend", options);
        await queue.CreateIfNotExistsAsync();
        return (queue, new StringSends(queue));
    }

    private static async Task<List<string[]>> DrainAsync(QueueClient queue)
    {
        var messages = new List<(DateTimeOffset? At, string[] Items)>();
        while (true)
        {
            var received = (await queue.ReceiveMessagesAsync(32)).Value;
            if (received.Length == 0)
                return [.. messages.OrderBy(m => m.At).Select(m => m.Items)];
            foreach (var message in received)
            {
                messages.Add((message.InsertedOn, JsonSerializer.Deserialize<string[]>(message.Body.ToString())!));
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }
    }

    private sealed class StringSends(QueueClient queue) : QueueGroupSend<string>(queue, NullLogger.Instance)
    {
        protected override BinaryData Serialize(IReadOnlyList<string> items) => BinaryData.FromObjectAsJson(items);
    }

    /// <summary>Holds the first message send until released (and can fail it), so items pile up behind it.</summary>
    private sealed class HoldFirstSend : HttpPipelinePolicy
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _sends;

        public bool FailFirst { get; init; }

        public TaskCompletionSource FirstArrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _released.TrySetResult();

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) => throw new NotSupportedException("async only");

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (message.Request.Method == RequestMethod.Post && Interlocked.Increment(ref _sends) == 1)
            {
                FirstArrived.TrySetResult();
                await _released.Task;
                if (FailFirst)
                    throw new RequestFailedException(503, "simulated queue outage", "ServerBusy", null);
            }
            await ProcessNextAsync(message, pipeline);
        }
    }
}
