using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using HuiminBao.Storage;
using Microsoft.Extensions.Options;

namespace HuiminBao.WeCom;

/// <summary>
/// The robot's 20-messages-a-minute budget, shared by every instance of the app: one small entity
/// in <c>opsstate</c> holds the send times of the last minute and is updated with its ETag, so two
/// instances can't both take the last slot. At 20 writes a minute this entity is never hot.
/// </summary>
public sealed class WeComRateGate(StorageAccount storage, IOptions<WeComOptions> options, TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private const string Partition = "wecom-rate";
    private const string SentColumn = "Sent";
    private const int MaxConflicts = 20;

    /// <summary>Takes a slot and returns zero, or returns how long until one frees up (taking nothing).</summary>
    public async Task<TimeSpan> TryAcquireAsync(CancellationToken cancellationToken)
    {
        var table = storage.Table(TableNames.OpsState);
        var row = RowKey(options.Value.WebhookUrl);
        var limit = options.Value.MessagesPerMinute;
        for (var attempt = 0; attempt < MaxConflicts; attempt++)
        {
            var now = time.GetUtcNow();
            var found = await table.GetEntityIfExistsAsync<TableEntity>(Partition, row, cancellationToken: cancellationToken);
            var recent = found.HasValue ? Parse(found.Value!.GetString(SentColumn)).Where(t => t > now - Window).Order().ToList() : [];
            if (recent.Count >= limit)
            {
                var wait = recent[^limit] + Window - now;
                return wait > TimeSpan.FromSeconds(1) ? wait : TimeSpan.FromSeconds(1);
            }
            recent.Add(now);
            var entity = new TableEntity(Partition, row) { [SentColumn] = Format(recent) };
            try
            {
                if (found.HasValue)
                    await table.UpdateEntityAsync(entity, found.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                else
                    await table.AddEntityAsync(entity, cancellationToken);
                return TimeSpan.Zero;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Another instance took a slot between our read and write; count again.
            }
        }
        return TimeSpan.FromSeconds(1);
    }

    /// <summary>One budget per robot; the row key is a hash so the webhook key never lands in storage.</summary>
    private static string RowKey(string webhookUrl) =>
        "robot-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(webhookUrl)))[..16];

    private static IEnumerable<DateTimeOffset> Parse(string? value) =>
        (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(ms => DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(ms, CultureInfo.InvariantCulture)));

    private static string Format(IEnumerable<DateTimeOffset> times) =>
        string.Join(',', times.Select(t => t.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)));
}
