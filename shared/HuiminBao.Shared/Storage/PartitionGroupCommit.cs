using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using HuiminBao.Diagnostics;
using Microsoft.Extensions.Logging;

namespace HuiminBao.Storage;

/// <summary>
/// Group commit for one table: writes to the same partition that arrive while an earlier write to
/// it is in flight go out together as one entity-group transaction. Each caller still gets its own
/// answer, as if it had written alone: its entity's response (with the new ETag), or a
/// <see cref="RequestFailedException"/> with its own status (409, 412, 404...) while the other
/// writes in the transaction are sent again without it. Under load this turns several storage calls
/// into one; at low load each write simply goes out on its own, as before.
/// </summary>
/// <param name="intake">Its writes are intake's, and go first (<see cref="StorageLanes"/>).</param>
public partial class PartitionGroupCommit(TableClient table, ILogger logger, bool intake = false)
{
    private const int MaxOperations = 100;
    private readonly ConcurrentDictionary<string, Committer> _partitions = new(StringComparer.Ordinal);

    public Task<Response> SubmitAsync(TableTransactionAction action, CancellationToken cancellationToken) =>
        _partitions.GetOrAdd(action.Entity.PartitionKey, _ => new Committer(table, logger, intake)).Submit(action).WaitAsync(cancellationToken);

    public Task<Response> AddAsync(ITableEntity entity, CancellationToken cancellationToken) =>
        SubmitAsync(new TableTransactionAction(TableTransactionActionType.Add, entity), cancellationToken);

    public Task<Response> UpdateAsync(ITableEntity entity, ETag ifMatch, TableUpdateMode mode, CancellationToken cancellationToken) =>
        SubmitAsync(new TableTransactionAction(mode == TableUpdateMode.Merge ? TableTransactionActionType.UpdateMerge : TableTransactionActionType.UpdateReplace, entity, ifMatch), cancellationToken);

    [LoggerMessage(EventId = LogEvents.Storage + 1, Level = LogLevel.Debug, Message = "Group commit: {Operations} writes to {Table}/{Partition} in one transaction")]
    private static partial void LogCommitted(ILogger logger, int operations, string table, string partition);

    private sealed class Committer(TableClient table, ILogger logger, bool intake) : SerialBatcher<Pending>
    {
        protected override bool Intake => intake;

        public Task<Response> Submit(TableTransactionAction action)
        {
            var pending = new Pending(action);
            Enqueue(pending);
            return pending.Outcome.Task;
        }

        /// <summary>Up to 100 writes, none to the same row twice, the rest left for the next round.</summary>
        protected override List<Pending> Take() => TakeDistinct(MaxOperations, p => p.Action.Entity.RowKey);

        protected override async Task CommitAsync(List<Pending> batch)
        {
            while (batch.Count > 0)
            {
                try
                {
                    if (batch.Count == 1)
                    {
                        batch[0].Outcome.TrySetResult(await WriteAloneAsync(batch[0].Action));
                        return;
                    }
                    var responses = (await table.SubmitTransactionAsync(batch.Select(p => p.Action))).Value;
                    for (var i = 0; i < batch.Count; i++)
                        batch[i].Outcome.TrySetResult(responses[i]);
                    LogCommitted(logger, batch.Count, table.Name, batch[0].Action.Entity.PartitionKey);
                    return;
                }
                catch (TableTransactionFailedException e) when (e.FailedTransactionActionIndex is { } index && index < batch.Count)
                {
                    // That one write fails as it would have alone; the others never happened, so they go again.
                    batch[index].Outcome.TrySetException(new RequestFailedException(e.Status, e.Message, e.ErrorCode, e));
                    batch.RemoveAt(index);
                }
                catch (RequestFailedException e) when (batch.Count == 1)
                {
                    batch[0].Outcome.TrySetException(e);
                    return;
                }
                catch (Exception e)
                {
                    foreach (var pending in batch)
                        pending.Outcome.TrySetException(e);
                    return;
                }
            }
        }

        protected override void Fail(Pending pending, Exception failure) => pending.Outcome.TrySetException(failure);

        private Task<Response> WriteAloneAsync(TableTransactionAction action) => action.ActionType switch
        {
            TableTransactionActionType.Add => table.AddEntityAsync(action.Entity),
            TableTransactionActionType.UpdateMerge => table.UpdateEntityAsync(action.Entity, action.ETag, TableUpdateMode.Merge),
            TableTransactionActionType.UpdateReplace => table.UpdateEntityAsync(action.Entity, action.ETag, TableUpdateMode.Replace),
            TableTransactionActionType.UpsertMerge => table.UpsertEntityAsync(action.Entity, TableUpdateMode.Merge),
            TableTransactionActionType.UpsertReplace => table.UpsertEntityAsync(action.Entity, TableUpdateMode.Replace),
            TableTransactionActionType.Delete => table.DeleteEntityAsync(action.Entity, action.ETag),
            _ => throw new ArgumentOutOfRangeException(nameof(action)),
        };
    }

    private sealed record Pending(TableTransactionAction Action)
    {
        public TaskCompletionSource<Response> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
