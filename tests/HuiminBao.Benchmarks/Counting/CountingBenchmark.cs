using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using HuiminBao.DevHost.Azurite;
using HuiminBao.Enrollment;
using HuiminBao.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace HuiminBao.Benchmarks.Counting;

/// <summary>
/// Counted enrollments/s through the sharded, exactly-once <see cref="EnrollmentLedger"/>, beside
/// the rate of a single hot counter entity updated with ETags, both from the same number of
/// concurrent workers against the same Azurite in the same run. Each side also proves it lost no
/// increment: the stored total equals the successful calls.
/// </summary>
public static class CountingBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var workers = Option(args, "--workers", 16);
        var seconds = Option(args, "--seconds", 15);
        await using var azurite = await AzuriteLauncher.StartAsync(new AzuriteOptions { SeparateProcesses = true }, CancellationToken.None);
        var connection = azurite.ConnectionString();
        Console.WriteLine($"Counting benchmark: {workers} workers, {seconds} s per side, Azurite (separate processes) in memory, {Environment.ProcessorCount} cores");

        var hot = await HotCounterAsync(connection, workers, TimeSpan.FromSeconds(seconds));
        var ledger = await LedgerAsync(connection, workers, TimeSpan.FromSeconds(seconds));

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"single hot counter (ETag read-modify-write): {hot.Rate,8:N0} increments/s  ({hot.Count:N0} counted, {hot.Conflicts:N0} 412 conflicts, stored total {hot.Stored:N0})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"enrollment ledger (16 shards, exactly once): {ledger.Rate,8:N0} enrollments/s ({ledger.Count:N0} counted, stored total {ledger.Stored:N0})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio ledger / hot counter: {ledger.Rate / hot.Rate:N1}x"));
        var lossless = hot.Stored == hot.Count && ledger.Stored == ledger.Count;
        Console.WriteLine(lossless ? "no lost increments on either side" : "LOST INCREMENTS");
        return lossless ? 0 : 1;
    }

    private sealed record Result(double Rate, long Count, long Conflicts, long Stored);

    private static async Task<Result> HotCounterAsync(string connection, int workers, TimeSpan duration)
    {
        var table = new TableServiceClient(connection).GetTableClient("hotcounter");
        await table.CreateIfNotExistsAsync();
        await table.UpsertEntityAsync(new TableEntity("tally", "total") { ["Enrolled"] = 0L });
        long count = 0, conflicts = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async _ =>
        {
            while (clock.Elapsed < duration)
            {
                var entity = (await table.GetEntityAsync<TableEntity>("tally", "total")).Value;
                entity["Enrolled"] = entity.GetInt64("Enrolled")!.Value + 1;
                try
                {
                    await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace);
                    Interlocked.Increment(ref count);
                }
                catch (RequestFailedException e) when (e.Status == 412)
                {
                    Interlocked.Increment(ref conflicts);
                }
            }
        }));
        var elapsed = clock.Elapsed.TotalSeconds;
        var stored = (await table.GetEntityAsync<TableEntity>("tally", "total")).Value.GetInt64("Enrolled")!.Value;
        return new Result(count / elapsed, count, conflicts, stored);
    }

    private static async Task<Result> LedgerAsync(string connection, int workers, TimeSpan duration)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [StorageAccount.Setting] = connection }).Build();
        var storage = new StorageAccount(configuration, new StorageCallCounter());
        await storage.Tables.CreateTableIfNotExistsAsync(TableNames.Enrollments);
        var ledger = new EnrollmentLedger(storage, NullLogger<EnrollmentLedger>.Instance);
        var days = new[] { new DateOnly(2026, 3, 4), new DateOnly(2026, 3, 5), new DateOnly(2026, 3, 6) };
        long count = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async worker =>
        {
            var n = 0;
            while (clock.Elapsed < duration)
            {
                var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
                var enrollment = new PersonEnrollment(2026, key, $"bench{worker}-{n}", "self", "410502", "resident", days[n++ % days.Length], DateTimeOffset.UnixEpoch);
                if (await ledger.EnrollAsync(enrollment, CancellationToken.None) == EnrollResult.Enrolled)
                    Interlocked.Increment(ref count);
            }
        }));
        var elapsed = clock.Elapsed.TotalSeconds;
        long stored = 0;
        await foreach (var row in storage.Table(TableNames.Enrollments).QueryAsync<TableEntity>())
        {
            if (EnrollmentKeys.IsCounterRow(row.RowKey))
                stored += row.GetInt64(TallyColumns.Enrolled) ?? 0;
        }
        return new Result(count / elapsed, count, 0, stored);
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
