using System.Globalization;

namespace HuiminBao.LaunchDay.Load;

/// <summary>The load benchmark's phases and knobs (<c>load --help</c>).</summary>
public sealed record LoadOptions
{
    public const string Latency = "latency";
    public const string Surge = "surge";
    public const string Sustained = "sustained";
    public const string Max = "max";

    public double LatencyRate { get; init; } = 150;
    public TimeSpan LatencyPhase { get; init; } = TimeSpan.FromSeconds(60);
    public double SustainedRate { get; init; } = 210;
    public TimeSpan SustainedPhase { get; init; } = TimeSpan.FromMinutes(5);
    public int MaxClients { get; init; } = 48;
    public TimeSpan MaxPhase { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The surge offers this multiple of the ceiling-implied rate the latency phase measured.</summary>
    public double SurgeFactor { get; init; } = 1.5;
    public TimeSpan SurgePhase { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the surge's backlog may take to drain before the run gives up on it.</summary>
    public TimeSpan SurgeDrainLimit { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Phases to run, in this order: latency, surge, sustained, max. The surge needs the latency phase, which calibrates it.</summary>
    public IReadOnlySet<string> Phases { get; init; } = new HashSet<string>([Latency, Surge, Sustained, Max], StringComparer.Ordinal);
    public TimeSpan CeilingPerOperation { get; init; } = TimeSpan.FromSeconds(3);
    public bool SeparateAzuriteProcesses { get; init; } = true;
    public int Seed { get; init; } = 2026;
    public string? HostLogPath { get; init; }

    public const string Usage = """
        load [--phases latency,surge,sustained,max] [--latency-rate 150] [--latency-seconds 60]
             [--surge-factor 1.5] [--surge-seconds 300] [--surge-drain-seconds 900]
             [--sustained-rate 210] [--sustained-seconds 300] [--max-clients 48] [--max-seconds 60]
             [--ceiling-seconds 3] [--one-azurite-process] [--seed 2026] [--host-log FILE]
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
                "--phases" => options with { Phases = ParsePhases(Value()) },
                "--latency-rate" => options with { LatencyRate = Number() },
                "--latency-seconds" => options with { LatencyPhase = TimeSpan.FromSeconds(Number()) },
                "--surge-factor" => options with { SurgeFactor = Number() },
                "--surge-seconds" => options with { SurgePhase = TimeSpan.FromSeconds(Number()) },
                "--surge-drain-seconds" => options with { SurgeDrainLimit = TimeSpan.FromSeconds(Number()) },
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

    private static HashSet<string> ParsePhases(string list)
    {
        var phases = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        if (phases.FirstOrDefault(p => p is not (Latency or Surge or Sustained or Max)) is { } unknown)
            throw new ArgumentException($"unknown phase {unknown}\n{Usage}");
        // The surge's rate is a multiple of what the latency phase measured.
        if (phases.Contains(Surge))
            phases.Add(Latency);
        return phases;
    }

    public bool Runs(string phase) => Phases.Contains(phase);

    /// <summary>The fastest the surge is assumed to run when sizing the roster before the ceiling is known.</summary>
    public const double SurgeRateBound = 450;

    /// <summary>People the roster needs: one per one-person sign-up, ~2.3 per household at maximum rate (generously bounded).</summary>
    public int RosterSize => (int)(200
        + (Runs(Latency) ? LatencyRate * LatencyPhase.TotalSeconds : 0)
        + (Runs(Surge) ? SurgeRateBound * SurgePhase.TotalSeconds : 0)
        + (Runs(Sustained) ? SustainedRate * SustainedPhase.TotalSeconds : 0)
        + (Runs(Max) ? MaxPhase.TotalSeconds * 500 * 2.3 : 0));
}
