using HuiminBao.DevHost.Azurite;
using HuiminBao.LaunchDay.Abuse;
using HuiminBao.LaunchDay.Fault;
using HuiminBao.LaunchDay.Load;

namespace HuiminBao.LaunchDay;

internal static class LaunchDayCommands
{
    public static async Task<int> RunAsync(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "ceiling":
                await using (var azurite = await AzuriteLauncher.StartAsync(new AzuriteOptions { SeparateProcesses = true }, CancellationToken.None))
                {
                    foreach (var ceiling in await StorageCeiling.MeasureAsync(azurite.ConnectionString(), TimeSpan.FromSeconds(5), 16, CancellationToken.None))
                        Console.WriteLine($"{ceiling.Operation,-50} {ceiling.PerSecond,10:N0}/s");
                }
                return 0;
            case "queue-cleanup":
                return await QueueCleanupProbe.RunAsync(new CommandLineOptions(args.Skip(1)));
            case "load":
                return await LoadRun.RunAsync(LoadOptions.Parse(args[1..]));
            case "fault":
                return await FaultCommand.RunAsync(new CommandLineOptions(args.Skip(1)));
            case "abuse":
                return await AbuseCommand.RunAsync(new CommandLineOptions(args.Skip(1)));
            default:
                Console.Error.WriteLine("usage: HuiminBao.LaunchDay <ceiling|queue-cleanup|load|fault|abuse> [options]");
                return 2;
        }
    }
}
