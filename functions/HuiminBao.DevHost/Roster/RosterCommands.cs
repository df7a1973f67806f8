using HuiminBao.Domain;
using HuiminBao.Enrollment.Eligibility;
using Spectre.Console;

namespace HuiminBao.DevHost.Roster;

/// <summary>
/// <c>dotnet run --project functions/HuiminBao.DevHost -- roster ...</c>: the basic-insurance roster
/// from the command line. <c>generate</c> writes a synthetic roster; <c>import</c> loads a bureau file
/// into the local host's storage; <c>lookup</c> asks the roster about one ID number and name, as validation does.
/// </summary>
public static class RosterCommands
{
    private const string Usage = """
        usage:
          roster generate FILE --rows N [--gbk] [--seed S] [--english] [--long-schemes] [--bom]
          roster import FILE [--as-of yyyy-MM-dd] [--force] [--bad-rows OUT.csv]
          roster lookup ID-NUMBER NAME
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // First Ctrl+C stops at the next await and keeps the checkpoint; a second one kills the process.
            e.Cancel = !cancel.IsCancellationRequested;
            cancel.Cancel();
        };
        try
        {
            switch (args)
            {
                case ["generate", .. var rest]:
                    return await RosterGenerateCommand.RunAsync(CommandLine.Parse(rest, "gbk", "english", "long-schemes", "bom"), cancel.Token);
                case ["import", .. var rest]:
                {
                    var line = CommandLine.Parse(rest, "force");
                    await using var cli = await RosterCli.StartAsync(cancel.Token);
                    return await RosterImportCommand.RunAsync(line, cli, cancel.Token);
                }
                case ["lookup", var idNumber, var name]:
                {
                    await using var cli = await RosterCli.StartAsync(cancel.Token);
                    return await LookupAsync(cli, idNumber, name, cancel.Token);
                }
                default:
                    Console.Error.WriteLine(Usage);
                    return 2;
            }
        }
        catch (CommandLineException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(Usage);
            return 2;
        }
    }

    private static async Task<int> LookupAsync(RosterCli cli, string raw, string name, CancellationToken cancellationToken)
    {
        var idNumber = IdNumber.Normalize(raw);
        if (IdNumber.Check(idNumber, BeijingTime.Today(cli.Time)) is { } error)
        {
            AnsiConsole.MarkupLine($"[red]Not a valid ID number[/] ({error}).");
            return 1;
        }
        var status = await cli.Lookup.LookupAsync(new PersonToCheck(cli.Hashes.PersonKey(idNumber), cli.Hashes.NameKey(idNumber, name)), cancellationToken);
        var masked = IdNumber.Mask(idNumber);
        AnsiConsole.MarkupLine(status switch
        {
            { Finding: InsuranceFinding.NotFound } => $"{masked}: [yellow]not on the roster[/] (a sign-up would be not-insured)",
            { Finding: InsuranceFinding.NameMismatch } => $"{masked}: [yellow]on the roster under another name[/] (a sign-up would be identity-mismatch)",
            { IsActive: true } => $"{masked}: [green]{status.Status}[/], {status.Scheme}, district {status.District} (eligible)",
            _ => $"{masked}: [yellow]{status.Status}[/], {status.Scheme}, district {status.District} (not eligible while not active)",
        });
        return 0;
    }
}
