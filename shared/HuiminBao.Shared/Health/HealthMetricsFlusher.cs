using System.Globalization;
using Azure;
using Azure.Data.Tables;
using HuiminBao.Diagnostics;
using HuiminBao.Domain;
using HuiminBao.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HuiminBao.Health;

/// <summary>
/// Writes this instance's <see cref="PipelineMetrics"/> to the <c>health</c> table every
/// <see cref="HealthOptions.FlushInterval"/>, and once more when the host stops, so the health query
/// sees every instance of either host. One upsert per minute with activity per flush.
/// </summary>
public sealed partial class HealthMetricsFlusher(
    PipelineMetrics metrics,
    StorageAccount storage,
    IOptions<HealthOptions> options,
    TimeProvider time,
    ILogger<HealthMetricsFlusher> logger) : BackgroundService
{
    /// <summary>Long enough that a minute is written again after its last count lands.</summary>
    private static readonly TimeSpan Keep = TimeSpan.FromMinutes(3);

    /// <summary>Only has to tell this instance's rows from the others'.</summary>
    private readonly string _instance = Guid.NewGuid().ToString("n")[..12];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(options.Value.FlushInterval, time, stoppingToken);
                await FlushQuietlyAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the last counts go out in StopAsync.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushQuietlyAsync(cancellationToken);
    }

    /// <summary>
    /// Counts for a dashboard must never take the host down: an exception escaping a background
    /// service stops the host, and one escaping StopAsync fails the shutdown. Whatever a flush
    /// meets is logged, and the next flush writes the same minutes again.
    /// </summary>
    private async Task FlushQuietlyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await FlushAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFlushCrashed(logger, e.GetType().Name);
        }
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var table = storage.Table(TableNames.Health);
        foreach (var minute in metrics.Snapshot(Keep))
        {
            var row = new HealthRow
            {
                PartitionKey = Partition(minute.Minute),
                RowKey = RowKey(minute.Minute, _instance),
                Minute = minute.Minute,
                Accepted = minute.Accepted,
                Decided = minute.Decided,
                SendFailures = minute.SendFailures,
                Lag = string.Join(',', minute.Lag.Select(c => c.ToString(CultureInfo.InvariantCulture))),
                CircuitOpen = metrics.CircuitOpen,
            };
            try
            {
                await table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
            }
            catch (RequestFailedException e)
            {
                // The dashboard shows a gap; the next flush writes the minute again.
                LogFlushFailed(logger, e.Status);
                return;
            }
        }
    }

    public static string Partition(long minute) => BeijingTime.DayOf(DateTimeOffset.FromUnixTimeSeconds(minute * 60)).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static string RowKey(long minute, string instance) => $"{minute.ToString("D12", CultureInfo.InvariantCulture)}-{instance}";

    [LoggerMessage(EventId = LogEvents.Health + 1, Level = LogLevel.Warning, Message = "Pipeline health counts not written (storage {Status}); the next flush tries again")]
    private static partial void LogFlushFailed(ILogger logger, int status);

    [LoggerMessage(EventId = LogEvents.Health + 2, Level = LogLevel.Error, Message = "Pipeline health counts not written ({Error}); the next flush tries again")]
    private static partial void LogFlushCrashed(ILogger logger, string error);
}
