namespace HuiminBao.LaunchDay.Abuse;

/// <summary><c>abuse [--requests N] [--victims V] [--strangers K] [--concurrency C] [--seed S]</c>: prints the answers by kind and the scans; exits 1 on any finding.</summary>
internal static class AbuseCommand
{
    public static async Task<int> RunAsync(CommandLineOptions args)
    {
        var defaults = new AbuseRunOptions();
        var options = defaults with
        {
            Requests = args.Int("requests", defaults.Requests),
            Victims = args.Int("victims", defaults.Victims),
            Concurrency = args.Int("concurrency", defaults.Concurrency),
            Seed = args.Int("seed", defaults.Seed),
        };
        if (args.Int("strangers", -1) is var strangers and >= 0)
            options = options with { StrangerSignUps = strangers };
        args.EnsureAllRead();
        var result = await AbuseRun.RunAsync(options, Console.Out);
        Console.WriteLine(result);
        return result.Passed ? 0 : 1;
    }
}
