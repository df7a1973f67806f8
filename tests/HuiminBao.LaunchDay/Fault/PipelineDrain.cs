using Azure;
using Azure.Storage.Queues;
using HuiminBao.Queues;

namespace HuiminBao.LaunchDay.Fault;

/// <summary>
/// Waits until the pipeline has nothing left to do: the sign-up and notification queues and their
/// poison queues hold no message, visible or not, twice in a row. A message is deleted only after its
/// handler finished, so empty queues mean every accepted sign-up was decided and notified (or poisoned
/// and reviewed).
/// </summary>
public static class PipelineDrain
{
    private static readonly string[] Watched = [QueueNames.SignUps, QueueNames.Notifications, QueueNames.SignUpsPoison, QueueNames.NotificationsPoison];

    public static async Task<bool> WaitAsync(Func<string> connectionString, TimeSpan within, Action<string>? progress = null, CancellationToken cancellationToken = default)
    {
        // Elapsed time, not wall-clock time: a deadline must not move with the system clock.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var emptyInARow = 0;
        var lastReport = TimeSpan.FromSeconds(-10);
        while (clock.Elapsed < within)
        {
            var depths = await DepthsAsync(connectionString(), cancellationToken);
            emptyInARow = depths is not null && depths.Values.All(d => d == 0) ? emptyInARow + 1 : 0;
            if (emptyInARow >= 2)
                return true;
            if (progress is not null && clock.Elapsed - lastReport > TimeSpan.FromSeconds(10))
            {
                progress(depths is null ? "storage not answering" : string.Join(", ", depths.Select(d => $"{d.Key} {d.Value:N0}")));
                lastReport = clock.Elapsed;
            }
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
        return false;
    }

    /// <summary>Messages per queue, invisible ones included; null while storage doesn't answer.</summary>
    public static async Task<IReadOnlyDictionary<string, int>?> DepthsAsync(string connectionString, CancellationToken cancellationToken)
    {
        var queues = new QueueServiceClient(connectionString, new QueueClientOptions { Retry = { MaxRetries = 0, NetworkTimeout = TimeSpan.FromSeconds(5) } });
        var depths = new Dictionary<string, int>(StringComparer.Ordinal);
        try
        {
            foreach (var name in Watched)
            {
                var queue = queues.GetQueueClient(name);
                depths[name] = await queue.ExistsAsync(cancellationToken) ? (await queue.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount : 0;
            }
            return depths;
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException or HttpRequestException)
        {
            return null;
        }
    }
}
