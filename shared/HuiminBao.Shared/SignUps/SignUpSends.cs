using System.Text.Json;
using Azure.Storage.Queues;
using HuiminBao.Queues;
using HuiminBao.Storage;
using Microsoft.Extensions.Logging;

namespace HuiminBao.SignUps;

/// <summary>The one sender to the <c>signups</c> queue in a process: sign-ups accepted together share a message.</summary>
public sealed class SignUpSends(StorageAccount storage, ILogger<SignUpSends> logger)
    : QueueGroupSend<SignUpQueued>(storage.Queue(QueueNames.SignUps), logger)
{
    public static BinaryData Body(SignUpBatch batch) => BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(batch, SignUpJson.Default.SignUpBatch));

    protected override BinaryData Serialize(IReadOnlyList<SignUpQueued> items) => Body(new SignUpBatch(items));

    /// <summary>Intake waits on these sends: they go first (<see cref="StorageLanes"/>).</summary>
    protected override async Task SendMessageAsync(QueueClient queue, BinaryData body)
    {
        using var priority = StoragePriority.Intake();
        await base.SendMessageAsync(queue, body);
    }
}
