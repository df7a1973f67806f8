using System.Text.Json;
using Azure.Storage.Queues;
using HuiminBao.Queues;
using HuiminBao.Storage;
using Microsoft.Extensions.Logging;

namespace HuiminBao.Notifications;

/// <summary>The one sender to the <c>notifications</c> queue in a process: notifications decided together share a message.</summary>
public sealed class NotificationSends(StorageAccount storage, ILogger<NotificationSends> logger)
    : QueueGroupSend<NotificationQueued>(storage.Queue(QueueNames.Notifications), logger)
{
    public static BinaryData Body(NotificationBatch batch) => BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(batch, NotificationJson.Default.NotificationBatch));

    protected override BinaryData Serialize(IReadOnlyList<NotificationQueued> items) => Body(new NotificationBatch(items));

    /// <summary>Processing's sends, whichever call happened to start the sender: after intake's (<see cref="StorageLanes"/>).</summary>
    protected override async Task SendMessageAsync(QueueClient queue, BinaryData body)
    {
        using var priority = StoragePriority.Other();
        await base.SendMessageAsync(queue, body);
    }
}
