using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using HuiminBao.DevHost.Azurite;

namespace HuiminBao.Tests.Infra;

/// <summary>Output of one bicep run, with its diagnostics picked out.</summary>
internal sealed partial record BicepResult(int ExitCode, string StdOut, string StdErr)
{
    /// <summary>Lines like <c>/repo/infra/main.bicep(12,7) : Warning no-unused-params: ...</c>.</summary>
    public IReadOnlyList<string> Diagnostics =>
        [.. (StdErr + "\n" + StdOut).Split('\n').Select(l => l.TrimEnd()).Where(l => DiagnosticLine().IsMatch(l)).Distinct()];

    public IReadOnlyList<string> ErrorsAndWarnings => [.. Diagnostics.Where(d => d.Contains(" : Error ", StringComparison.Ordinal) || d.Contains(" : Warning ", StringComparison.Ordinal))];

    public string Describe() => $"exit {ExitCode}\n--- stderr ---\n{StdErr}\n--- stdout (first 2000) ---\n{StdOut[..Math.Min(StdOut.Length, 2000)]}";

    [GeneratedRegex(@"\(\d+,\d+\) : (Error|Warning|Info) ")]
    private static partial Regex DiagnosticLine();
}

/// <summary>
/// The Bicep CLI that NuGet restored from the Azure.Bicep.CommandLine.linux-x64 package (the tests
/// project references it for this alone), so building and linting the templates needs no download.
/// </summary>
internal static class BicepCli
{
    private static readonly Lazy<string> Executable = new(Locate);

    public static string RepoRoot { get; } = RepositoryRoot.Find();

    public static string Infra => Path.Combine(RepoRoot, "infra");

    public static async Task<BicepResult> RunAsync(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(Executable.Value)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bicep did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', args)} did not finish in 2 minutes");
        }
        return new BicepResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Compiles a .bicep file to its ARM JSON, failing on any error or warning.</summary>
    public static async Task<JsonObject> BuildAsync(string bicepFile)
    {
        var result = await RunAsync(Path.GetDirectoryName(bicepFile)!, "build", bicepFile, "--stdout");
        if (result.ExitCode != 0 || result.ErrorsAndWarnings.Count > 0)
            throw new InvalidOperationException($"bicep build {bicepFile} failed:\n{result.Describe()}");
        return JsonNode.Parse(result.StdOut)!.AsObject();
    }

    private static string Locate()
    {
        var root = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "BicepPackageRoot")?.Value;
        if (string.IsNullOrEmpty(root))
            throw new InvalidOperationException("BicepPackageRoot is not set: the tests project must reference Azure.Bicep.CommandLine.linux-x64 with GeneratePathProperty=\"true\" and be restored.");
        var executable = Path.Combine(root, "tools", "bicep");
        if (!File.Exists(executable))
            throw new InvalidOperationException($"No bicep binary at {executable}; run dotnet restore.");
        // Some package extractions drop the execute bit. The package is linux-x64 only, so this runs on Unix.
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException("The restored Bicep CLI package is linux-x64.");
        var mode = File.GetUnixFileMode(executable);
        if (!mode.HasFlag(UnixFileMode.UserExecute))
            File.SetUnixFileMode(executable, mode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        return executable;
    }
}

/// <summary>Compiles infra/main.bicep once for all the tests that read the ARM JSON.</summary>
public sealed class CompiledTemplate : IAsyncLifetime
{
    private string _json = "";

    public static string MainBicep => Path.Combine(BicepCli.Infra, "main.bicep");

    /// <summary>A fresh copy of the compiled template, for a test to read or break.</summary>
    public JsonObject Fresh() => JsonNode.Parse(_json)!.AsObject();

    public async Task InitializeAsync() => _json = (await BicepCli.BuildAsync(MainBicep)).ToJsonString();

    public Task DisposeAsync() => Task.CompletedTask;
}

[CollectionDefinition(Name)]
public sealed class InfraCollection : ICollectionFixture<CompiledTemplate>
{
    public const string Name = "infra";
}
