using HuiminBao.Queues;
using HuiminBao.Roster;
using Microsoft.Azure.Functions.Worker;

namespace HuiminBao.Functions.Roster;

public sealed class ImportRoster(RosterImportHandler import)
{
    [Function(nameof(ImportRoster))]
    public Task Run([QueueTrigger(QueueNames.RosterImports)] string message, FunctionContext context, CancellationToken cancellationToken) =>
        import.HandleAsync(QueueMessages.Read(message, RosterJson.Default.RosterImportQueued), QueueDeliveries.From(context), cancellationToken);
}
