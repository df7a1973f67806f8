using System.Threading.Channels;
using Azure.Data.Tables;

namespace HuiminBao.Roster;

/// <summary>
/// Groups roster entities by partition into 100-entity <c>UpsertReplace</c> transactions and keeps
/// up to <c>concurrency</c> of them in flight.
/// <para>
/// Rows spread evenly over the partitions, so partitions fill up together and full batches come in
/// bursts. A full batch therefore goes onto a bounded queue rather than straight to storage: the
/// reader goes on parsing while the senders work through a burst, and storage is not left idle
/// while the next burst is read. Batches of one partition are sent one after another, so rows for
/// the same person are applied in file order (the last one wins); a person repeated within one
/// batch is folded into a single action (Azure refuses a batch naming a row twice). Memory is
/// bounded: partitions × 100 buffered entities, plus the queue, plus the batches in flight.
/// </para>
/// </summary>
public sealed class RosterBatchWriter : IAsyncDisposable
{
    public const int BatchSize = 100;
    private const int QueuedBatches = 128;

    private readonly TableClient _table;
    private readonly CancellationToken _cancellationToken;
    private readonly Channel<Batch> _ready = Channel.CreateBounded<Batch>(new BoundedChannelOptions(QueuedBatches) { SingleWriter = true });
    private readonly Task[] _senders;
    private readonly Dictionary<string, PartitionBuffer> _partitions = new(StringComparer.Ordinal);
    private Exception? _failure;
    private long _written;
    private long _batches;

    public RosterBatchWriter(TableClient table, int concurrency, CancellationToken cancellationToken)
    {
        _table = table;
        _cancellationToken = cancellationToken;
        _senders = [.. Enumerable.Range(0, concurrency).Select(_ => Task.Run(SendAsync, CancellationToken.None))];
    }

    /// <summary>Entities the service confirmed.</summary>
    public long Written => Interlocked.Read(ref _written);

    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Rows that replaced an earlier row for the same person still waiting in the same batch.</summary>
    public long Folded { get; private set; }

    public async ValueTask AddAsync(TableEntity entity)
    {
        ThrowIfFailed();
        if (!_partitions.TryGetValue(entity.PartitionKey, out var buffer))
            _partitions[entity.PartitionKey] = buffer = new PartitionBuffer();
        if (!buffer.Add(entity))
            Folded++;
        if (buffer.Count == BatchSize)
            await EnqueueAsync(buffer);
    }

    /// <summary>Sends every partly filled batch and waits for all queued and in flight: afterwards everything added is stored.</summary>
    public async Task DrainAsync()
    {
        foreach (var buffer in _partitions.Values)
        {
            if (buffer.Count > 0)
                await EnqueueAsync(buffer);
        }
        await Task.WhenAll(_partitions.Values.Select(b => b.Last));
        ThrowIfFailed();
    }

    public async ValueTask DisposeAsync()
    {
        _ready.Writer.TryComplete();
        await Task.WhenAll(_senders);
    }

    private async ValueTask EnqueueAsync(PartitionBuffer buffer)
    {
        var batch = new Batch(buffer.Take(), buffer.Last);
        buffer.Last = batch.Done.Task;
        await _ready.Writer.WriteAsync(batch, _cancellationToken);
    }

    private async Task SendAsync()
    {
        // Reads to the end even after a failure, so every queued batch is marked done and nothing waits forever.
        await foreach (var batch in _ready.Reader.ReadAllAsync(CancellationToken.None))
        {
            try
            {
                await batch.Previous;
                if (Volatile.Read(ref _failure) is null)
                {
                    await _table.SubmitTransactionAsync(batch.Actions, _cancellationToken);
                    Interlocked.Add(ref _written, batch.Actions.Count);
                    Interlocked.Increment(ref _batches);
                }
            }
            catch (Exception e)
            {
                // Surfaced by the next Add or Drain on the importing thread.
                Interlocked.CompareExchange(ref _failure, e, null);
            }
            finally
            {
                batch.Done.TrySetResult();
            }
        }
    }

    private void ThrowIfFailed()
    {
        if (Volatile.Read(ref _failure) is { } failure)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
    }

    /// <param name="Previous">The partition's batch before this one: this one waits for it.</param>
    private sealed record Batch(List<TableTransactionAction> Actions, Task Previous)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class PartitionBuffer
    {
        private List<TableTransactionAction> _actions = new(BatchSize);
        private readonly Dictionary<string, int> _rows = new(BatchSize, StringComparer.Ordinal);

        public int Count => _actions.Count;

        /// <summary>Completes when the partition's latest queued batch is stored (or failed).</summary>
        public Task Last { get; set; } = Task.CompletedTask;

        /// <summary>False when the entity replaced one for the same row already buffered.</summary>
        public bool Add(TableEntity entity)
        {
            var action = new TableTransactionAction(TableTransactionActionType.UpsertReplace, entity);
            if (_rows.TryGetValue(entity.RowKey, out var at))
            {
                _actions[at] = action;
                return false;
            }
            _rows[entity.RowKey] = _actions.Count;
            _actions.Add(action);
            return true;
        }

        public List<TableTransactionAction> Take()
        {
            var taken = _actions;
            _actions = new List<TableTransactionAction>(BatchSize);
            _rows.Clear();
            return taken;
        }
    }
}
