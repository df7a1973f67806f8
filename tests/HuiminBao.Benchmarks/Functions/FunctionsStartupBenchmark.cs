using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using HuiminBao.Functions.Hosting;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HuiminBao.Benchmarks.Functions;

/// <summary>
/// Cold start of the Functions app's service provider: in a fresh process each run (so JIT and
/// assembly loading count, as on a new instance), the time to compose the app as Program.cs does,
/// build the container, run the start validation, and create every trigger class once. The host's
/// own start and the gRPC handshake are not here: they need the Functions host, which can't run on
/// this machine.
/// </summary>
public static class FunctionsStartupBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var runs = args is ["--runs", var n] ? int.Parse(n, CultureInfo.InvariantCulture) : 7;
        var self = Environment.ProcessPath!;
        var entry = Assembly.GetEntryAssembly()!.Location;
        var timings = new List<(double Process, double Compose)>();
        for (var i = 0; i < runs; i++)
        {
            var start = new ProcessStartInfo(self) { RedirectStandardOutput = true };
            if (Path.GetFileNameWithoutExtension(self) == "dotnet")
                start.ArgumentList.Add(entry);
            start.ArgumentList.Add("functions-startup-once");
            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            var whole = clock.Elapsed.TotalMilliseconds;
            timings.Add((whole, double.Parse(output.Trim(), CultureInfo.InvariantCulture)));
        }
        var compose = timings.Select(t => t.Compose).Order().ToList();
        var process_ = timings.Select(t => t.Process).Order().ToList();
        Console.WriteLine($"Functions app cold start, {runs} fresh processes ({Environment.ProcessorCount} cores, {TimeProvider.System.GetLocalNow():yyyy-MM-dd HH:mm})");
        Console.WriteLine($"  compose + build + validate + create {CountTriggers()} trigger classes: median {Median(compose):0} ms (min {compose[0]:0}, max {compose[^1]:0})");
        Console.WriteLine($"  whole process (start to exit):                          median {Median(process_):0} ms (min {process_[0]:0}, max {process_[^1]:0})");
        return 0;
    }

    /// <summary>One measurement, in this process: prints the milliseconds.</summary>
    public static int Once()
    {
        var clock = Stopwatch.StartNew();
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(Settings());
        builder.AddFunctionsApp();
        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
        using var host = builder.Build();
        host.Services.GetRequiredService<IStartupValidator>().Validate();
        using (var scope = host.Services.CreateScope())
        {
            foreach (var type in TriggerClasses())
                ActivatorUtilities.CreateInstance(scope.ServiceProvider, type);
        }
        Console.WriteLine(clock.Elapsed.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture));
        return 0;
    }

    private static int CountTriggers() => TriggerClasses().Count();

    private static IEnumerable<Type> TriggerClasses() =>
        typeof(FunctionsApp).Assembly.GetTypes().Where(t => t.GetMethods().Any(m => m.GetCustomAttribute<FunctionAttribute>() is not null));

    private static double Median(List<double> sorted) => sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;

    private static Dictionary<string, string?> Settings() => new()
    {
        ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
        ["WeChat:AppId"] = "wxbenchmark000001",
        ["WeChat:AppSecret"] = "benchmark-secret",
        ["Security:IdHashKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["Security:DataKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["Security:SessionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["Notifications:TemplateId"] = "benchmark-template",
        ["Notifications:Fields:Outcome"] = "phrase1",
        ["Notifications:Fields:Insured"] = "thing2",
        ["Notifications:Fields:PlanYear"] = "character_string3",
        ["Notifications:Fields:Remark"] = "thing4",
        ["Ops:Keys"] = "benchmark:key",
        ["Privacy:ConsentVersions"] = "2026-01",
    };
}
