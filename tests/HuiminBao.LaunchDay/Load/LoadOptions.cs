using System.Globalization;

namespace HuiminBao.LaunchDay.Load;

/// <summary>The load benchmark's phases and knobs (<c>load --help</c>).</summary>
public sealed record LoadOptions
{
    public double LatencyRate { get; init; } = 150;
    public TimeSpan LatencyPhase { get; init; } = TimeSpan.FromSeconds(60);
    public double SustainedRate { get; init; } = 210;
    public TimeSpan SustainedPhase { get; init; } = TimeSpan.FromMinutes(5);
    public int MaxClients { get; init; } = 48;
    public TimeSpan MaxPhase { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan CeilingPerOperation { get; init; } = TimeSpan.FromSeconds(3);
    public bool SeparateAzuriteProcesses { get; init; } = true;
    public int Seed { get; init; } = 2026;
    public string? HostLogPath { get; init; }

    public const string Usage = """
        load [--latency-rate 150] [--latency-seconds 60] [--sustained-rate 210] [--sustained-seconds 300]
             [--max-clients 48] [--max-seconds 60] [--ceiling-seconds 3] [--one-azurite-process] [--seed 2026] [--host-log FILE]
        """;

    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        var options = new LoadOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            double Number() => double.Parse(Value(), CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--latency-rate" => options with { LatencyRate = Number() },
                "--latency-seconds" => options with { LatencyPhase = TimeSpan.FromSeconds(Number()) },
                "--sustained-rate" => options with { SustainedRate = Number() },
                "--sustained-seconds" => options with { SustainedPhase = TimeSpan.FromSeconds(Number()) },
                "--max-clients" => options with { MaxClients = (int)Number() },
                "--max-seconds" => options with { MaxPhase = TimeSpan.FromSeconds(Number()) },
                "--ceiling-seconds" => options with { CeilingPerOperation = TimeSpan.FromSeconds(Number()) },
                "--one-azurite-process" => options with { SeparateAzuriteProcesses = false },
                "--seed" => options with { Seed = (int)Number() },
                "--host-log" => options with { HostLogPath = Value() },
                _ => throw new ArgumentException($"unknown option {args[i]}\n{Usage}"),
            };
        }
        return options;
    }

    /// <summary>People the roster needs: one per one-person sign-up, ~2.3 per household at maximum rate (generously bounded).</summary>
    public int RosterSize => (int)(200 + (LatencyRate * LatencyPhase.TotalSeconds) + (SustainedRate * SustainedPhase.TotalSeconds) + (MaxPhase.TotalSeconds * 500 * 2.3));
}
