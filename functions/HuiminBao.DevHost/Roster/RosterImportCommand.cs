using System.Diagnostics;
using System.Globalization;
using HuiminBao.Domain;
using HuiminBao.Roster;
using Spectre.Console;

namespace HuiminBao.DevHost.Roster;

/// <summary>
/// <c>roster import FILE [--as-of yyyy-MM-dd] [--force] [--bad-rows OUT.csv]</c>: imports a bureau
/// roster file straight from disk into the storage the local host uses (nothing of the file is
/// stored but the keyed rows), with a progress bar, rows/s and a summary. The same file again is
/// the same import: finished, it is not run again (<c>--force</c> rewrites the same rows); interrupted
/// (Ctrl+C, a crash), it resumes from its last checkpoint.
/// </summary>
internal static class RosterImportCommand
{
    private const int BadRowsShown = 20;

    public static async Task<int> RunAsync(CommandLine line, RosterCli cli, CancellationToken cancellationToken)
    {
        if (line.Positionals is not [var path] || line.Unknown("as-of", "force", "bad-rows").FirstOrDefault() is not null)
            throw new CommandLineException("usage: roster import FILE [--as-of yyyy-MM-dd] [--force] [--bad-rows OUT.csv]");
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            AnsiConsole.MarkupLine($"[red]No such file:[/] {Markup.Escape(full)}");
            return 2;
        }
        var asOf = line.Option("as-of") ?? BeijingTime.Today(cli.Time).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (!DateOnly.TryParseExact(asOf, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            throw new CommandLineException("--as-of must be a date, yyyy-MM-dd.");

        var facts = await ScanAsync(full, cancellationToken);
        if (await RosterColumns.CheckHeaderAsync(facts, cancellationToken) is { } problem)
        {
            AnsiConsole.MarkupLine($"[red]Refused:[/] the header row is not a roster header ({Markup.Escape(problem.Describe())}). Needed: 身份证号 (idNumber), 险种 (scheme), 行政区划 (district), 参保状态 (status); 姓名 (name) optional.");
            return 1;
        }

        var record = await PrepareAsync(cli, facts, asOf, line.Has("force"), cancellationToken);
        if (record is null)
            return 0;
        AnsiConsole.MarkupLine($"Import [bold]{record.ImportId}[/]: {facts.Bytes / 1024.0 / 1024.0:N1} MiB, {facts.Encoding}, as of {record.AsOf}" +
            (record.RecordsDone > 0 ? $", resuming after row {record.RecordsDone:N0}" : ""));

        await using var badRowsFile = line.Option("bad-rows") is { } badPath ? new StreamWriter(badPath, append: false, System.Text.Encoding.UTF8) : null;
        badRowsFile?.WriteLine("line,reason,说明");
        var shown = new List<RosterBadRow>();
        void OnBadRow(RosterBadRow bad)
        {
            if (shown.Count < BadRowsShown)
                shown.Add(bad);
            badRowsFile?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{bad.Line},{bad.Reason},{RosterRowErrors.Describe(bad.Reason)}"));
        }

        var rowsBefore = record.RowsRead;
        using var memory = MemorySampler.Start();
        var clock = Stopwatch.StartNew();
        RosterImportResult result;
        try
        {
            result = await WithProgressAsync(facts.Bytes, progress => cli.Import.RunAsync(
                new RosterImportJob(record.ImportId, _ => Task.FromResult<Stream>(File.OpenRead(full)))
                {
                    Progress = progress,
                    OnBadRow = OnBadRow,
                    Runner = LocalRunner.Name,
                    TakeOver = LocalRunner.IsGone,
                },
                cancellationToken));
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C reaches the Azurite this command started too, so the failure may be storage's rather than a cancellation.
            AnsiConsole.MarkupLine("[yellow]Interrupted.[/] Progress up to the last checkpoint is kept: run the same command again to resume.");
            return 130;
        }
        clock.Stop();
        var peak = memory.Stop();

        switch (result.Outcome)
        {
            case RosterImportOutcome.Busy:
                AnsiConsole.MarkupLine($"[yellow]This file is being imported by another runner[/] (the local host?) until {result.Record.LeaseUntil?.ToLocalTime():HH:mm:ss}. Follow it with GET /api/ops/roster-imports/{result.Record.ImportId}.");
                return 3;
            case RosterImportOutcome.Rejected:
                AnsiConsole.MarkupLine($"[red]Refused:[/] {Markup.Escape(result.Record.Failure ?? "")}");
                return 1;
            case RosterImportOutcome.LostClaim:
                AnsiConsole.MarkupLine("[yellow]Another runner took this import over; it carries on there.[/]");
                return 3;
        }
        Summary(result, result.Record.RowsRead - rowsBefore, clock.Elapsed, peak, shown, line.Option("bad-rows"));
        return 0;
    }

    /// <summary>Creates the import's record, or finds the earlier one for the same file; null when there is nothing to do.</summary>
    private static async Task<RosterImportRecord?> PrepareAsync(RosterCli cli, RosterFileFacts facts, string asOf, bool force, CancellationToken cancellationToken)
    {
        var fresh = RosterImportRecord.For(facts, "cli", asOf, cli.PlanYear, null, cli.Time.GetUtcNow());
        if (await cli.Records.TryCreateAsync(fresh, cancellationToken))
            return fresh;
        var existing = await cli.Records.GetAsync(facts.ImportId, cancellationToken) ?? throw new InvalidOperationException("The import record vanished.");
        if (existing.AsOf != asOf)
            AnsiConsole.MarkupLine($"[grey]This file was first imported as of {existing.AsOf}; that date is kept.[/]");
        if (!existing.IsFinished)
            return existing;
        if (!force)
        {
            AnsiConsole.MarkupLine($"Already imported ({existing.State}, {existing.CompletedAt?.ToLocalTime():yyyy-MM-dd HH:mm}): {existing.RowsImported:N0} rows imported, {existing.RowsBad:N0} bad. Nothing written. (--force imports it again.)");
            return null;
        }
        if (!await cli.Records.TryRestartAsync(existing, cancellationToken))
            throw new InvalidOperationException("The import changed while restarting it; try again.");
        return existing;
    }

    private static async Task<RosterFileFacts> ScanAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        var length = file.Length;
        return await Progress().StartAsync(async context =>
        {
            var task = context.AddTask("Checking file", maxValue: Math.Max(length, 1));
            var facts = await RosterFileScanner.ScanAsync(file, new Progress<long>(bytes => task.Value = bytes), cancellationToken);
            task.Value = task.MaxValue;
            return facts;
        });
    }

    private static Task<RosterImportResult> WithProgressAsync(long bytes, Func<IProgress<RosterImportProgress>, Task<RosterImportResult>> run) =>
        Progress().StartAsync(async context =>
        {
            var task = context.AddTask("Importing", maxValue: Math.Max(bytes, 1));
            var clock = Stopwatch.StartNew();
            long firstRows = -1;
            var progress = new InlineProgress<RosterImportProgress>(p =>
            {
                task.Description = p.Resuming ? "Skipping to checkpoint" : "Importing";
                task.Value = Math.Min(p.BytesRead, task.MaxValue);
                if (p.Resuming)
                    return;
                if (firstRows < 0)
                {
                    firstRows = p.RowsRead;
                    clock.Restart();
                }
                task.State.Update<double>(RowsPerSecondColumn.Rows, _ => p.RowsRead);
                var seconds = clock.Elapsed.TotalSeconds;
                task.State.Update<double>(RowsPerSecondColumn.Rate, _ => seconds > 0.5 ? (p.RowsRead - firstRows) / seconds : 0);
            });
            var result = await run(progress);
            task.Value = task.MaxValue;
            return result;
        });

    private static Spectre.Console.Progress Progress() =>
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RowsPerSecondColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn());

    private static void Summary(RosterImportResult result, long rowsThisRun, TimeSpan elapsed, long peakWorkingSet, List<RosterBadRow> shown, string? badRowsPath)
    {
        var record = result.Record;
        var table = new Table().HideHeaders().AddColumns("", "");
        table.AddRow("Result", result.Outcome == RosterImportOutcome.Completed ? "[green]completed[/]" : "[yellow]" + result.Outcome + "[/]");
        table.AddRow("Rows read", $"{record.RowsRead:N0}");
        table.AddRow("Rows imported", $"{record.RowsImported:N0}");
        table.AddRow("Bad rows (skipped)", record.RowsBad == 0 ? "0" : $"[yellow]{record.RowsBad:N0}[/]");
        table.AddRow("Entities written this run", $"{result.EntitiesWritten:N0} in {result.Batches:N0} batch transactions");
        table.AddRow("Elapsed", $"{elapsed.TotalSeconds:N1} s");
        table.AddRow("Rows/s", elapsed.TotalSeconds > 0 ? $"{rowsThisRun / elapsed.TotalSeconds:N0}" : "-");
        table.AddRow("Peak working set", $"{peakWorkingSet / 1024.0 / 1024.0:N0} MiB");
        table.AddRow("Runs", record.Runs > 1 ? $"{record.Runs} (resumed)" : "1");
        AnsiConsole.Write(table);
        if (shown.Count == 0)
            return;
        var bad = new Table().Title($"First bad rows (of {record.RowsBad:N0})").AddColumns("Line", "Reason", "说明");
        foreach (var row in shown)
            bad.AddRow(row.Line.ToString(CultureInfo.InvariantCulture), row.Reason, RosterRowErrors.Describe(row.Reason));
        AnsiConsole.Write(bad);
        if (badRowsPath is not null)
            AnsiConsole.MarkupLine($"Every bad row's line and reason: [blue]{Markup.Escape(Path.GetFullPath(badRowsPath))}[/]");
    }

    /// <summary>Reports on the importer's own thread: Progress&lt;T&gt; would post to the thread pool and could report out of order.</summary>
    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
