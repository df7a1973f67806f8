namespace HuiminBao.Queues;

/// <summary>
/// The items that share one queue message (<see cref="QueueGroupSend{TItem}"/>) are handled side by
/// side and independently. If any fails, the message fails once the others are done, so the host
/// delivers it again (and eventually poisons it); the items that succeeded repeat harmlessly, as
/// every handler is idempotent. Each item passes the <see cref="ProcessingGate"/> for its stage, so
/// processing yields to intake when storage is what both wait for.
/// </summary>
public static class SharedMessage
{
    /// <param name="id">Items with the same id are handled once: a replay racing its original can put one item into a message twice.</param>
    /// <param name="partlyFailed">Told how many of how many failed, before the failure reaches the host.</param>
    public static async Task HandleEachAsync<T>(ProcessingGate gate, string stage, IEnumerable<T> items, Func<T, string> id, Func<T, Task> handle, Action<int, int> partlyFailed, CancellationToken cancellationToken)
    {
        var runs = items.DistinctBy(id, StringComparer.Ordinal).Select(item => gate.RunAsync(stage, () => handle(item), cancellationToken)).ToList();
        try
        {
            await Task.WhenAll(runs);
        }
        catch when (runs.Count > 1)
        {
            partlyFailed(runs.Count(r => !r.IsCompletedSuccessfully), runs.Count);
            throw;
        }
    }
}
