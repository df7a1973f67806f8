using Azure.Data.Tables;

namespace HuiminBao.Roster;

/// <summary>
/// Groups roster entities by partition into 100-entity <c>UpsertReplace</c> transactions and keeps
/// up to <c>concurrency</c> of them in flight. A partition has at most one batch in flight, so rows
/// for the same person are applied in file order (the last one wins), and a person repeated within
/// one batch is folded into a single action (Azure refuses a batch naming a row twice). Memory is
/// bounded by partitions × 100 buffered entities plus the batches in flight.
/// </summary>
public sealed class RosterBatchWriter : IDisposable
{
    public const int BatchSize = 100;

    private readonly TableClient _table;
    private readonly SemaphoreSlim _slots;
    private readonly Dictionary<string, PartitionBuffer> _partitions = new(StringComparer.Ordinal);
    private Exception? _failure;
    private long _written;
    private long _batches;

    public RosterBatchWriter(TableClient table, int concurrency)
    {
        _table = table;
        _slots = new SemaphoreSlim(concurrency, concurrency);
    }

    /// <summary>Entities the service confirmed.</summary>
    public long Written => Interlocked.Read(ref _written);

    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Rows that replaced an earlier row for the same person still waiting in the same batch.</summary>
    public long Folded { get; private set; }

    public async ValueTask AddAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        ThrowIfFailed();
        if (!_partitions.TryGetValue(entity.PartitionKey, out var buffer))
            _partitions[entity.PartitionKey] = buffer = new PartitionBuffer();
        if (!buffer.Add(entity))
            Folded++;
        if (buffer.Count == BatchSize)
            await SendAsync(buffer, cancellationToken);
    }

    /// <summary>Sends every partly filled batch and waits for all in flight: afterwards everything added is stored.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        foreach (var buffer in _partitions.Values)
        {
            if (buffer.Count > 0)
                await SendAsync(buffer, cancellationToken);
        }
        await Task.WhenAll(_partitions.Values.Select(b => b.InFlight));
        ThrowIfFailed();
    }

    private async ValueTask SendAsync(PartitionBuffer buffer, CancellationToken cancellationToken)
    {
        await buffer.InFlight;
        ThrowIfFailed();
        await _slots.WaitAsync(cancellationToken);
        buffer.InFlight = SubmitAsync(buffer.Take(), cancellationToken);
    }

    private async Task SubmitAsync(List<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        try
        {
            await _table.SubmitTransactionAsync(actions, cancellationToken);
            Interlocked.Add(ref _written, actions.Count);
            Interlocked.Increment(ref _batches);
        }
        catch (Exception e)
        {
            // Surfaced by the next Add or Drain on the importing thread.
            Interlocked.CompareExchange(ref _failure, e, null);
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();

    private void ThrowIfFailed()
    {
        if (Volatile.Read(ref _failure) is { } failure)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
    }

    private sealed class PartitionBuffer
    {
        private List<TableTransactionAction> _actions = new(BatchSize);
        private readonly Dictionary<string, int> _rows = new(BatchSize, StringComparer.Ordinal);

        public int Count => _actions.Count;

        public Task InFlight { get; set; } = Task.CompletedTask;

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
