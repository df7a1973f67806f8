using System.Text.Json;
using HuiminBao.Queues;
using HuiminBao.Storage;

namespace HuiminBao.Roster;

/// <summary>Sends <see cref="RosterImportQueued"/> to <c>roster-imports</c> (base64, as Functions' queue trigger expects).</summary>
public sealed class RosterImportMessages(StorageAccount storage)
{
    /// <param name="delay">Keeps the message invisible this long, to come back when another runner's claim has lapsed.</param>
    public async Task SendAsync(string importId, TimeSpan? delay, CancellationToken cancellationToken) =>
        await storage.Queue(QueueNames.RosterImports).SendMessageAsync(
            BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(new RosterImportQueued(importId), RosterJson.Default.RosterImportQueued)),
            visibilityTimeout: delay,
            timeToLive: QueueRetention.MessageTimeToLive,
            cancellationToken);
}
