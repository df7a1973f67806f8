using System.Collections.Concurrent;
using System.Diagnostics;
using HuiminBao.DevHost.Azurite;

namespace HuiminBao.LaunchDay.Harness;

/// <summary>
/// The local host as a separate process (the built HuiminBao.DevHost.dll), so a test can kill it
/// with SIGKILL mid-work and start it again on the same port, as a crashed instance would restart.
/// </summary>
public sealed class DevHostProcess : IAsyncDisposable
{
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;

    public DevHostProcess(IReadOnlyDictionary<string, string> environment, int? port = null)
    {
        _environment = environment;
        Port = port ?? AzuriteLauncher.FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{Port}/");
    }

    public int Port { get; }

    public Uri BaseAddress { get; }

    public int? ProcessId => _process?.Id;

    /// <summary>True once the host process has ended, killed or on its own.</summary>
    public bool HasExited => _process?.HasExited ?? true;

    /// <summary>Everything the host wrote to stdout and stderr, across restarts.</summary>
    public IReadOnlyCollection<string> Output => _output;

    public static string DllPath()
    {
        // The caller's own configuration (Debug/Release) built the DevHost beside it.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var path = Path.Combine(RepositoryRoot.Find(), "functions", "HuiminBao.DevHost", "bin", configuration, "net10.0", "HuiminBao.DevHost.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the DevHost first.", path);
    }

    public async Task StartAsync(TimeSpan? within = null)
    {
        var dll = DllPath();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { dll, "--urls", $"http://127.0.0.1:{Port}", "--no-local-settings", "--contentRoot", Path.GetDirectoryName(dll)! })
            info.ArgumentList.Add(arg);
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in _environment)
            info.Environment[key] = value;

        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var limit = within ?? TimeSpan.FromSeconds(60);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"DevHost exited with {_process.ExitCode}:\n{string.Join('\n', _output.TakeLast(30))}");
            try
            {
                using var response = await client.GetAsync("/admin/metrics");
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            if (clock.Elapsed > limit)
                throw new TimeoutException("DevHost did not answer in time:\n" + string.Join('\n', _output.TakeLast(30)));
            await Task.Delay(100);
        }
    }

    /// <summary>SIGKILL: no shutdown, no flushing, in-flight handlers simply stop.</summary>
    public async Task KillAsync()
    {
        if (_process is null || _process.HasExited)
            return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }
}
