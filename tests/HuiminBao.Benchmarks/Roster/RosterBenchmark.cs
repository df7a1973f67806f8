using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Azure.Data.Tables;
using HuiminBao.DevHost.Azurite;
using HuiminBao.DevHost.Roster;
using HuiminBao.Enrollment.Eligibility;
using HuiminBao.Hosting;
using HuiminBao.Roster;
using HuiminBao.Security;
using HuiminBao.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HuiminBao.Benchmarks.Roster;

/// <summary>
/// The roster import's acceptance run: a generated GBK roster (200,000 rows by default) imported
/// into a fresh Azurite with the same code the command line and the queue handler use; rows/s beside
/// the raw 100-entity-batch insert rate measured on the same Azurite just before; peak memory
/// sampled during the import, and at each tenth of it to show it stays flat; every row findable; a
/// re-run that writes nothing; and a forced re-run that rewrites the same rows and leaves the count.
/// </summary>
internal static class RosterBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rows = IntArg(args, "--rows", 200_000);
        var rawSeconds = IntArg(args, "--raw-seconds", 10);
        var concurrency = IntArg(args, "--concurrency", new RosterImportOptions().Concurrency);
        var separate = args.Contains("--separate-processes");
        var work = Directory.CreateTempSubdirectory("roster-bench-");
        Line($"Roster import benchmark: {rows:N0} rows, GBK; {Environment.ProcessorCount} cores; {(GCSettings.IsServerGC ? "server" : "workstation")} GC; concurrency {concurrency}; Azurite {(separate ? "one process per service" : "one process")}");

        await using var azurite = await AzuriteLauncher.StartAsync(new AzuriteOptions { SeparateProcesses = separate }, CancellationToken.None);
        var connection = azurite.ConnectionString();

        var clock = Stopwatch.StartNew();
        var file = Path.Combine(work.FullName, "roster.csv");
        await using (var output = File.Create(file))
            await RosterCsvWriter.WriteAsync(output, new SyntheticRoster(2022).People(rows), new RosterCsvFormat { Gbk = true }, CancellationToken.None);
        Line($"Generated {file} ({new FileInfo(file).Length / 1024.0 / 1024.0:N1} MiB) in {clock.Elapsed.TotalSeconds:N1} s");

        var tables = new TableServiceClient(connection);
        var (raw, rawEntities) = await RawBatchRate.MeasureAsync(tables, "rawbefore", concurrency, TimeSpan.FromSeconds(rawSeconds));
        Line($"Raw Azurite 100-entity batch inserts into an empty table ({concurrency} in flight, {rawSeconds} s): {raw:N0} entities/s ({rawEntities:N0} entities)");
        // Azurite slows as a table grows (its LokiJS indices are sorted arrays): the like-for-like ceiling inserts as many entities as the import, into a fresh table.
        var (rawSame, _) = await RawBatchRate.MeasureAsync(tables, "rawsame", concurrency, TimeSpan.FromHours(1), limit: rows);
        Line($"Raw Azurite 100-entity batch inserts of {rows:N0} entities into a fresh table (the import's table sizes): {rawSame:N0} entities/s");

        using var host = BuildHost(connection, concurrency);
        var services = host.Services;
        await services.GetRequiredService<StorageProvisioner>().EnsureCreatedAsync(CancellationToken.None);
        var records = services.GetRequiredService<RosterImportRecords>();
        var import = services.GetRequiredService<RosterImport>();
        var calls = services.GetRequiredService<StorageCallCounter>();

        clock.Restart();
        RosterFileFacts facts;
        await using (var input = File.OpenRead(file))
            facts = await RosterFileScanner.ScanAsync(input, null, CancellationToken.None);
        Line($"Scanned (SHA-256, encoding {facts.Encoding}) in {clock.Elapsed.TotalSeconds:N1} s");
        await records.TryCreateAsync(RosterImportRecord.For(facts, "benchmark", "2026-03-01", 2026, null, TimeProvider.System.GetUtcNow()), CancellationToken.None);

        GC.Collect();
        var before = MemorySampler.WorkingSet();
        var timeline = new List<string>();
        var nextTenth = 1;
        using var memory = MemorySampler.Start();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        clock.Restart();
        var first = await import.RunAsync(Job(facts, file, new InlineProgress(p =>
        {
            if (p.RowsRead < rows * nextTenth / 10)
                return;
            timeline.Add($"{nextTenth * 10}%: {MemorySampler.WorkingSet() / 1048576.0:N0} MiB");
            nextTenth++;
        })), CancellationToken.None);
        var elapsed = clock.Elapsed;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        memory.Stop();
        var rate = first.Record.RowsRead / elapsed.TotalSeconds;
        Line($"Import: {first.Outcome}, {first.Record.RowsRead:N0} rows read, {first.Record.RowsImported:N0} imported, {first.Record.RowsBad:N0} bad, {first.EntitiesWritten:N0} entities in {first.Batches:N0} batches, {elapsed.TotalSeconds:N1} s");
        Line($"Importer CPU (this process, Azurite excluded): {cpu.TotalSeconds:N1} s for {elapsed.TotalSeconds:N1} s elapsed");
        Line($"Import rate: {rate:N0} rows/s = {rate / rawSame:P0} of the like-for-like raw rate ({rate / raw:P0} of the empty-table rate)");
        Line($"Memory: working set {before / 1048576.0:N0} MiB before; peak during import {memory.PeakWorkingSet / 1048576.0:N0} MiB (managed heap peak {memory.PeakHeap / 1048576.0:N0} MiB)");
        Line($"Working set by progress: {string.Join(", ", timeline)}");

        var roster = new TableServiceClient(connection).GetTableClient(TableNames.Roster);
        var stored = await CountAsync(roster);
        var lookup = services.GetRequiredService<RosterLookup>();
        var hashes = services.GetRequiredService<KeyedHashes>();
        var sample = new SyntheticRoster(2022).People(rows).Where((_, i) => i % Math.Max(rows / 1000, 1) == 0).ToList();
        var found = 0;
        foreach (var person in sample)
        {
            var status = await lookup.LookupAsync(new PersonToCheck(hashes.PersonKey(person.IdNumber), hashes.NameKey(person.IdNumber, person.Name)), CancellationToken.None);
            if (status.Finding == InsuranceFinding.Found && status.District == person.District && status.IsActive == person.IsActive)
                found++;
        }
        Line($"Findable: {stored:N0} roster entities for {rows:N0} rows; {found:N0} of {sample.Count:N0} sampled people looked up with the right district and status");

        var batchesBefore = calls.ByOperation.GetValueOrDefault("table POST batch");
        var again = await import.RunAsync(Job(facts, file, null), CancellationToken.None);
        Line($"Re-run: {again.Outcome}, {again.EntitiesWritten:N0} entities written, {calls.ByOperation.GetValueOrDefault("table POST batch") - batchesBefore:N0} batch requests, {await CountAsync(roster):N0} entities");

        if (args.Contains("--forced-rerun"))
        {
            // Slow on Azurite, which replaces an entity by removing it from its LokiJS indices (linear in the table's size).
            var record = (await records.GetAsync(facts.ImportId, CancellationToken.None))!;
            await records.TryRestartAsync(record, CancellationToken.None);
            clock.Restart();
            var forced = await import.RunAsync(Job(facts, file, null), CancellationToken.None);
            Line($"Forced re-run: {forced.Outcome}, {forced.EntitiesWritten:N0} entities rewritten in {clock.Elapsed.TotalSeconds:N1} s ({forced.Record.RowsRead / clock.Elapsed.TotalSeconds:N0} rows/s), {await CountAsync(roster):N0} entities");
        }

        var (rawFull, _) = await RawBatchRate.MeasureAsync(tables, TableNames.Roster, concurrency, TimeSpan.FromSeconds(rawSeconds));
        Line($"Raw after the import, into the roster table holding {stored:N0} entities: {rawFull:N0} entities/s");
        Line($"Summary: import {rate:N0} rows/s; raw {raw:N0} entities/s (empty table, {rawSeconds} s), {rawSame:N0} entities/s (same {rows:N0} entities); ratio {rate / rawSame:P0} like-for-like; peak working set during import {memory.PeakWorkingSet / 1048576.0:N0} MiB");

        work.Delete(recursive: true);
        return stored == rows && found == sample.Count && again.EntitiesWritten == 0 ? 0 : 1;
    }

    private static RosterImportJob Job(RosterFileFacts facts, string file, IProgress<RosterImportProgress>? progress) =>
        new(facts.ImportId, _ => Task.FromResult<Stream>(File.OpenRead(file))) { Progress = progress };

    private static IHost BuildHost(string connection, int concurrency)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = connection,
            ["Security:IdHashKey"] = DevelopmentKeys.IdHashKey,
            ["Security:DataKey"] = DevelopmentKeys.DataKey,
            ["Security:SessionKey"] = DevelopmentKeys.SessionKey,
            ["RosterImport:Concurrency"] = concurrency.ToString(CultureInfo.InvariantCulture),
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddClock();
        builder.AddStorage();
        builder.AddSecurity();
        builder.AddEligibility();
        builder.AddRosterImport();
        return builder.Build();
    }

    private static async Task<long> CountAsync(TableClient table)
    {
        long count = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(select: ["RowKey"]))
            count++;
        return count;
    }

    private static int IntArg(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static void Line(string text) => Console.WriteLine(text);

    private sealed class InlineProgress(Action<RosterImportProgress> report) : IProgress<RosterImportProgress>
    {
        public void Report(RosterImportProgress value) => report(value);
    }
}
