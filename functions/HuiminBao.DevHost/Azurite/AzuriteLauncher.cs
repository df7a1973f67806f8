using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace HuiminBao.DevHost.Azurite;

/// <summary>
/// Starts Azurite from the repository's npm install (installing it on first use), on 127.0.0.1 with
/// <c>--skipApiVersionCheck</c> (Azure.Storage.Queues 12.28 sends a newer API version than Azurite
/// accepts), waits until every service answers, and hands back an instance that stops exactly the
/// processes it started. Used by the local host and by the tests.
/// </summary>
public static class AzuriteLauncher
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    /// <summary>Returns the Azurite already answering on the given ports, or null.</summary>
    public static async Task<AzuriteInstance?> FindRunningAsync(int blobPort, int queuePort, int tablePort, CancellationToken cancellationToken)
    {
        foreach (var (port, service) in new[] { (blobPort, "Blob"), (queuePort, "Queue"), (tablePort, "Table") })
        {
            if (!await AnswersAsAzuriteAsync(port, service, cancellationToken))
                return null;
        }
        return new AzuriteInstance(blobPort, queuePort, tablePort, []);
    }

    public static async Task<AzuriteInstance> StartAsync(AzuriteOptions options, CancellationToken cancellationToken)
    {
        var root = RepositoryRoot.Find();
        var package = await EnsureInstalledAsync(root, cancellationToken);
        var blobPort = options.BlobPort != 0 ? options.BlobPort : FreePort();
        var queuePort = options.QueuePort != 0 ? options.QueuePort : FreePort();
        var tablePort = options.TablePort != 0 ? options.TablePort : FreePort();
        if (options.DataDirectory is { } data)
            Directory.CreateDirectory(data);

        var common = new List<string> { "--silent", "--skipApiVersionCheck", "--disableTelemetry", "--loose" };
        common.AddRange(options.DataDirectory is { } location ? ["--location", location] : ["--inMemoryPersistence"]);

        var services = new List<(string Entry, string[] Args)>();
        if (options.SeparateProcesses)
        {
            services.Add((Path.Combine(package, "dist", "src", "blob", "main.js"), ["--blobHost", "127.0.0.1", "--blobPort", $"{blobPort}"]));
            services.Add((Path.Combine(package, "dist", "src", "queue", "main.js"), ["--queueHost", "127.0.0.1", "--queuePort", $"{queuePort}"]));
            services.Add((Path.Combine(package, "dist", "src", "table", "main.js"), ["--tableHost", "127.0.0.1", "--tablePort", $"{tablePort}"]));
        }
        else
        {
            services.Add((Path.Combine(package, "dist", "src", "azurite.js"),
                ["--blobHost", "127.0.0.1", "--blobPort", $"{blobPort}", "--queueHost", "127.0.0.1", "--queuePort", $"{queuePort}", "--tableHost", "127.0.0.1", "--tablePort", $"{tablePort}"]));
        }

        var started = new List<Process>();
        try
        {
            foreach (var (entry, args) in services)
                started.Add(StartNode(root, entry, [.. args, .. common], options));

            var instance = new AzuriteInstance(blobPort, queuePort, tablePort, started);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(StartTimeout);
            foreach (var (port, service) in new[] { (blobPort, "Blob"), (queuePort, "Queue"), (tablePort, "Table") })
            {
                while (!await AnswersAsAzuriteAsync(port, service, timeout.Token))
                {
                    if (started.FirstOrDefault(p => p.HasExited) is { } dead)
                        throw new InvalidOperationException($"Azurite exited with code {dead.ExitCode} before {service} answered on port {port}.");
                    await Task.Delay(100, timeout.Token);
                }
            }
            return instance;
        }
        catch
        {
            await new AzuriteInstance(blobPort, queuePort, tablePort, started).DisposeAsync();
            throw;
        }
    }

    private static Process StartNode(string root, string entry, IEnumerable<string> args, AzuriteOptions options)
    {
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = options.DataDirectory ?? root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(root, "tools", "azurite", "run.js"));
        info.ArgumentList.Add(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        info.ArgumentList.Add(entry);
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        if (options.Accounts.Count > 0)
        {
            var accounts = options.Accounts.Select(a => $"{a.Key}:{a.Value}").Prepend($"{AzuriteInstance.DevelopmentAccount}:{AzuriteInstance.DevelopmentKey}");
            info.Environment["AZURITE_ACCOUNTS"] = string.Join(';', accounts);
        }
        if (options.StockQueueCleanup)
            info.Environment["AZURITE_STOCK_QUEUE_CLEANUP"] = "1";
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start node for Azurite.");
        // Drain output so a chatty Azurite never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Runs <c>npm ci</c> at the repository root when Azurite isn't installed yet.</summary>
    private static async Task<string> EnsureInstalledAsync(string root, CancellationToken cancellationToken)
    {
        var package = Path.Combine(root, "node_modules", "azurite");
        await InstallLock.WaitAsync(cancellationToken);
        try
        {
            if (File.Exists(Path.Combine(package, "dist", "src", "azurite.js")))
                return package;
            var info = new ProcessStartInfo("npm", "ci --no-audit --no-fund") { WorkingDirectory = root, UseShellExecute = false };
            using var npm = Process.Start(info) ?? throw new InvalidOperationException("npm is not on PATH; install Node.js 20+.");
            await npm.WaitForExitAsync(cancellationToken);
            if (npm.ExitCode != 0 || !File.Exists(Path.Combine(package, "dist", "src", "azurite.js")))
                throw new InvalidOperationException($"npm ci failed ({npm.ExitCode}); Azurite is not installed under {root}/node_modules.");
            return package;
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static async Task<bool> AnswersAsAzuriteAsync(int port, string service, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            using var response = await client.GetAsync($"http://127.0.0.1:{port}/{AzuriteInstance.DevelopmentAccount}?comp=list", cancellationToken);
            return response.Headers.Server.ToString().Contains($"Azurite-{service}", StringComparison.OrdinalIgnoreCase);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
