using System.Diagnostics;
using Azure.Data.Tables;
using Azure.Storage.Queues;

namespace HuiminBao.LaunchDay.Load;

/// <summary>Operations per second Azurite allows for each kind of call a sign-up makes, with the same SDKs, measured in the same run.</summary>
public sealed record Ceiling(string Operation, double PerSecond);

/// <summary>
/// Measures the raw Azurite ceiling for the storage operations one sign-up needs: queue send,
/// receive and delete; entity insert, point read, merge; 100-entity batch insert.
/// </summary>
public static class StorageCeiling
{
    public static async Task<IReadOnlyList<Ceiling>> MeasureAsync(string connectionString, TimeSpan perOperation, int concurrency, CancellationToken cancellationToken)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var table = new TableServiceClient(connectionString).GetTableClient("ceiling" + suffix);
        await table.CreateIfNotExistsAsync(cancellationToken);
        var queue = new QueueClient(connectionString, "ceiling-" + suffix, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var body = BinaryData.FromString(new string('x', 300));
        var payload = new string('y', 600);
        var results = new List<Ceiling>();

        var inserted = new System.Collections.Concurrent.ConcurrentQueue<(string P, string R)>();
        results.Add(await RateAsync("entity insert", perOperation, concurrency, async i =>
        {
            var key = $"p{i:x8}";
            await table.AddEntityAsync(new TableEntity(key, "signup") { ["Payload"] = payload }, cancellationToken);
            inserted.Enqueue((key, "signup"));
        }, cancellationToken));
        var keys = inserted.ToArray();
        results.Add(await RateAsync("entity point read", perOperation, concurrency, async i =>
        {
            var (p, r) = keys[i % keys.Length];
            await table.GetEntityAsync<TableEntity>(p, r, cancellationToken: cancellationToken);
        }, cancellationToken));
        results.Add(await RateAsync("entity merge", perOperation, concurrency, async i =>
        {
            var (p, r) = keys[i % keys.Length];
            await table.UpdateEntityAsync(new TableEntity(p, r) { ["Status"] = "enrolled" }, Azure.ETag.All, TableUpdateMode.Merge, cancellationToken);
        }, cancellationToken));
        var batchRate = await RateAsync("100-entity batch insert (entities)", perOperation, concurrency, async i =>
        {
            var partition = $"b{i:x8}";
            await table.SubmitTransactionAsync(Enumerable.Range(0, 100).Select(n => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, $"r{n:000}") { ["Payload"] = "z" })), cancellationToken);
        }, cancellationToken);
        results.Add(batchRate with { PerSecond = batchRate.PerSecond * 100 });

        results.Add(await RateAsync("queue send", perOperation, concurrency, async _ =>
            await queue.SendMessageAsync(body, cancellationToken: cancellationToken), cancellationToken));

        // Receive and delete as the listeners do (batches of 16, one delete per message) while
        // senders keep the queue shallow (~200): Azurite's receive slows as a queue deepens. The
        // three kinds of call share the loop's time, so each rate is of the mix, not of the call alone.
        await queue.ClearMessagesAsync(cancellationToken);
        long sent = 0, receives = 0, deletes = 0;
        using var stop = new CancellationTokenSource(perOperation);
        var clock = Stopwatch.StartNew();
        var feeders = Enumerable.Range(0, Math.Max(2, concurrency / 4)).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (Interlocked.Read(ref sent) - Interlocked.Read(ref deletes) >= 200)
                {
                    await Task.Delay(2, CancellationToken.None);
                    continue;
                }
                await queue.SendMessageAsync(body, cancellationToken: CancellationToken.None);
                Interlocked.Increment(ref sent);
            }
        }, CancellationToken.None));
        var consumers = Enumerable.Range(0, Math.Max(2, concurrency / 4)).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var messages = (await queue.ReceiveMessagesAsync(16, cancellationToken: CancellationToken.None)).Value;
                Interlocked.Increment(ref receives);
                await Task.WhenAll(messages.Select(async m =>
                {
                    await queue.DeleteMessageAsync(m.MessageId, m.PopReceipt, CancellationToken.None);
                    Interlocked.Increment(ref deletes);
                }));
            }
        }, CancellationToken.None));
        await Task.WhenAll(feeders.Concat(consumers));
        var seconds = clock.Elapsed.TotalSeconds;
        results.Add(new Ceiling("queue flow: send + receive(16) + delete, messages", deletes / seconds));
        results.Add(new Ceiling("queue flow: calls of all three kinds", (sent + receives + deletes) / seconds));

        await table.DeleteAsync(cancellationToken);
        await queue.DeleteAsync(cancellationToken);
        return results;
    }

    private static async Task<Ceiling> RateAsync(string operation, TimeSpan duration, int concurrency, Func<int, Task> call, CancellationToken cancellationToken)
    {
        var counter = 0;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (stopwatch.Elapsed < duration && !cancellationToken.IsCancellationRequested)
                await call(Interlocked.Increment(ref counter));
        }));
        return new Ceiling(operation, counter / stopwatch.Elapsed.TotalSeconds);
    }
}
