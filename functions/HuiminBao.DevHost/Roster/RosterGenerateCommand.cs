using HuiminBao.Roster;
using Spectre.Console;

namespace HuiminBao.DevHost.Roster;

/// <summary>
/// <c>roster generate FILE --rows N [--gbk] [--seed S] [--english] [--long-schemes]</c>: writes a
/// synthetic Anyang roster and prints a few people on it, and one who is not, for trying sign-ups.
/// The file and the console show made-up people only.
/// </summary>
internal static class RosterGenerateCommand
{
    public static async Task<int> RunAsync(CommandLine line, CancellationToken cancellationToken)
    {
        if (line.Positionals is not [var path] || line.Unknown("rows", "gbk", "seed", "english", "long-schemes", "bom").FirstOrDefault() is { } unknown)
            throw new CommandLineException("usage: roster generate FILE --rows N [--gbk] [--seed S] [--english] [--long-schemes] [--bom]");
        var rows = line.Int("rows", 10_000);
        var roster = new SyntheticRoster(line.Int("seed", 2022));
        var format = new RosterCsvFormat
        {
            Gbk = line.Has("gbk"),
            Bom = line.Has("bom"),
            EnglishHeader = line.Has("english"),
            EnglishValues = line.Has("english"),
            LongSchemeNames = line.Has("long-schemes"),
        };

        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using (var file = File.Create(full))
            await RosterCsvWriter.WriteAsync(file, roster.People(rows), format, cancellationToken);
        AnsiConsole.MarkupLine($"Wrote [bold]{rows:N0}[/] synthetic people to [blue]{Markup.Escape(full)}[/] ({(format.Gbk ? "GBK" : "UTF-8")}, {new FileInfo(full).Length / 1024.0 / 1024.0:N1} MiB) in {clock.Elapsed.TotalSeconds:N1} s.");

        var sample = roster.People(Math.Min(rows, 200)).ToList();
        var table = new Table().AddColumns(new TableColumn("").NoWrap(), new TableColumn("身份证号").NoWrap(), new TableColumn("姓名").NoWrap(),
            new TableColumn("险种").NoWrap(), new TableColumn("行政区划").NoWrap(), new TableColumn("参保状态").NoWrap());
        foreach (var person in sample.Where(p => p.IsActive).Take(3))
            table.AddRow("on roster", person.IdNumber, person.Name, person.Scheme, District(person.District), person.Status);
        if (sample.FirstOrDefault(p => p.Status == "暂停") is { } suspended)
            table.AddRow("on roster", suspended.IdNumber, suspended.Name, suspended.Scheme, District(suspended.District), suspended.Status);
        var outsider = SyntheticRoster.Outsider();
        table.AddRow("[yellow]not on roster[/]", outsider.IdNumber, outsider.Name, "", "", "");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"Import it with: [green]dotnet run --project functions/HuiminBao.DevHost -- roster import {Markup.Escape(path)}[/]");
        return 0;
    }

    private static string District(string code) =>
        SyntheticRoster.Districts.FirstOrDefault(d => d.Code == code) is { Name: { } name } ? $"{code} {name}" : code;
}
