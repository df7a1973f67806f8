using System.Collections.Concurrent;

namespace HuiminBao.Storage;

/// <summary>
/// The loop behind group commit: at most one batch in flight, and whatever arrives meanwhile goes
/// into the next one. At low load each item is a batch of its own; under load batches fill up by
/// themselves, with no timer. Derived classes say what a batch may hold and how it is committed;
/// <see cref="CommitAsync"/> answers every item of its batch and should not throw. If it throws all
/// the same (a bug, a value it can't read: anything but the storage answers it handles), every item
/// of the batch it hasn't answered fails with that exception and the loop goes on with the next
/// batch: a caller never waits for an answer that won't come, and the partition keeps working.
/// </summary>
internal abstract class SerialBatcher<TPending>
{
    private int _running;

    protected ConcurrentQueue<TPending> Waiting { get; } = new();

    protected void Enqueue(TPending pending)
    {
        Waiting.Enqueue(pending);
        if (Interlocked.CompareExchange(ref _running, 1, 0) == 0)
            _ = Task.Run(RunWhileWaitingAsync);
    }

    /// <summary>Takes the next batch from <see cref="Waiting"/>, putting back what can't go in it.</summary>
    protected abstract List<TPending> Take();

    protected abstract Task CommitAsync(List<TPending> batch);

    /// <summary>Answers <paramref name="pending"/> with <paramref name="failure"/> unless it has its answer already.</summary>
    protected abstract void Fail(TPending pending, Exception failure);

    /// <summary>
    /// Whether the batches carry intake's writes (<see cref="StoragePriority"/>). Set here for every
    /// batch, whoever's write happened to start the loop.
    /// </summary>
    protected virtual bool Intake => false;

    /// <summary>Takes up to <paramref name="max"/> items for distinct rows (a transaction can't touch a row twice) while <paramref name="fits"/> allows.</summary>
    protected List<TPending> TakeDistinct(int max, Func<TPending, string> row, Func<List<TPending>, TPending, bool>? fits = null)
    {
        var batch = new List<TPending>();
        var rows = new HashSet<string>(StringComparer.Ordinal);
        var later = new List<TPending>();
        while (batch.Count < max && Waiting.TryPeek(out var head) && (fits is null || fits(batch, head)) && Waiting.TryDequeue(out var next))
        {
            if (rows.Add(row(next)))
                batch.Add(next);
            else
                later.Add(next);
        }
        foreach (var pending in later)
            Waiting.Enqueue(pending);
        return batch;
    }

    /// <summary>Told of a commit that threw, after its callers were failed: forget what it may have left half-updated.</summary>
    protected virtual void OnCommitFailed(Exception failure)
    {
    }

    private async Task RunWhileWaitingAsync()
    {
        using var priority = Intake ? StoragePriority.Intake() : StoragePriority.Other();
        while (true)
        {
            var batch = Take();
            if (batch.Count > 0)
            {
                // CommitAsync may take items out of the list as it answers them; all of them are owed an answer.
                var owed = batch.ToArray();
                try
                {
                    await CommitAsync(batch);
                }
                catch (Exception e)
                {
                    foreach (var pending in owed)
                        Fail(pending, e);
                    OnCommitFailed(e);
                }
                continue;
            }
            Volatile.Write(ref _running, 0);
            // An item may have arrived between Take() and the flag dropping: take it on ourselves.
            if (Waiting.IsEmpty || Interlocked.CompareExchange(ref _running, 1, 0) != 0)
                return;
        }
    }
}
