namespace HuiminBao.LaunchDay.Fault;

/// <summary>
/// <c>fault [--signups N] [--kills K] [--seed S] [--rate R] [--yibao-outage s] [--wechat-busy s] [--azurite-down s] [--host-log file]</c>:
/// prints the timeline of injected faults and the audit; exits 1 if the audit or the run failed.
/// </summary>
internal static class FaultCommand
{
    public static async Task<int> RunAsync(CommandLineOptions args)
    {
        var defaults = new FaultRunOptions();
        var options = defaults with
        {
            SignUps = args.Int("signups", defaults.SignUps),
            Kills = args.Int("kills", defaults.Kills),
            Seed = args.Int("seed", defaults.Seed),
            ArrivalsPerSecond = args.Double("rate", defaults.ArrivalsPerSecond),
            YibaoOutage = args.Seconds("yibao-outage", defaults.YibaoOutage),
            WeChatBusy = args.Seconds("wechat-busy", defaults.WeChatBusy),
            AzuriteDown = args.Seconds("azurite-down", defaults.AzuriteDown),
            HostLogPath = args.Text("host-log"),
        };
        args.EnsureAllRead();
        var result = await FaultRun.RunAsync(options, Console.Out);
        Console.WriteLine();
        Console.WriteLine(result);
        return result.Passed ? 0 : 1;
    }
}
