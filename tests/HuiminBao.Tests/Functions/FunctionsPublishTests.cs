using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using HuiminBao.DevHost.Azurite;
using HuiminBao.Hosting;
using HuiminBao.Http;
using HuiminBao.Security;
using Xunit.Abstractions;

namespace HuiminBao.Tests.Functions;

/// <summary>
/// <c>dotnet publish</c> of the Functions app, as README, DEPLOYMENT.md and azure.yaml deploy it,
/// gives the package Flex Consumption runs: the metadata the host binds from, the host extensions
/// its triggers need, the worker's configuration, host.json, and no local settings or secrets.
/// </summary>
public sealed class FunctionsPublishTests(ITestOutputHelper testOutput)
{
    /// <summary>Trigger types the Functions host v4 has built in; every other one needs its extension in the package.</summary>
    private static readonly Dictionary<string, string?> HostExtensionFor = new()
    {
        ["httpTrigger"] = null,
        ["timerTrigger"] = null,
        ["queueTrigger"] = "AzureStorageQueues",
    };

    [Fact]
    public async Task The_published_package_is_what_the_functions_host_runs_and_holds_no_local_settings()
    {
        var package = Directory.CreateTempSubdirectory("huiminbao-publish-").FullName;
        try
        {
            await PublishAsync(package);

            var declared = DeclaredFunction.Read(Path.Combine(package, "functions.metadata"));
            Assert.Equal(ApiRoutes.All.Count + PipelineTriggers.Queues.Count + PipelineTriggers.Timers.Count, declared.Count);

            using var extensions = JsonDocument.Parse(File.ReadAllText(Path.Combine(package, "extensions.json")));
            var installed = extensions.RootElement.GetProperty("extensions").EnumerateArray().ToList();
            foreach (var trigger in declared.Select(f => f.Trigger).Distinct())
            {
                Assert.True(HostExtensionFor.TryGetValue(trigger, out var extension), $"{trigger} is neither built into the host nor known here");
                if (extension is null)
                    continue;
                var entry = Assert.Single(installed, e => e.GetProperty("name").GetString() == extension);
                var hint = entry.GetProperty("hintPath").GetString()!;
                Assert.True(File.Exists(Path.Combine(package, hint)), $"{extension} points at {hint}, which is not in the package");
            }

            using var worker = JsonDocument.Parse(File.ReadAllText(Path.Combine(package, "worker.config.json")));
            var description = worker.RootElement.GetProperty("description");
            Assert.Equal("dotnet-isolated", description.GetProperty("language").GetString());
            Assert.True(File.Exists(Path.Combine(package, description.GetProperty("defaultWorkerPath").GetString()!)));

            Assert.Equal(File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "host.json")), File.ReadAllText(Path.Combine(package, "host.json")));

            var files = Directory.EnumerateFiles(package, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(package, f)).ToList();
            Assert.DoesNotContain(files, f => Path.GetFileName(f).StartsWith("local.settings", StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(files, f => Path.GetFileName(f).StartsWith("appsettings", StringComparison.OrdinalIgnoreCase));
            foreach (var file in files.Where(f => f.EndsWith(".json", StringComparison.OrdinalIgnoreCase)))
            {
                var text = File.ReadAllText(Path.Combine(package, file));
                Assert.DoesNotContain("AccountKey=", text, StringComparison.Ordinal);
                Assert.DoesNotContain("\"Security\"", text, StringComparison.Ordinal);
            }
            // Not even the keys the repository publishes for local runs, in any file (assemblies hold
            // string constants as UTF-16), nor Azurite's well-known key in ours (the storage SDK has it
            // for UseDevelopmentStorage=true).
            string[] published = [DevelopmentKeys.IdHashKey, DevelopmentKeys.DataKey, DevelopmentKeys.SessionKey];
            foreach (var file in files)
            {
                var content = File.ReadAllBytes(Path.Combine(package, file));
                var ours = Path.GetFileName(file).StartsWith("HuiminBao.", StringComparison.Ordinal) || file.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
                foreach (var key in ours ? [.. published, AzuriteInstance.DevelopmentKey] : published)
                {
                    Assert.False(content.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(key)) >= 0, $"{file} holds a development key");
                    Assert.False(content.AsSpan().IndexOf(System.Text.Encoding.Unicode.GetBytes(key)) >= 0, $"{file} holds a development key");
                }
            }

            var bytes = files.Sum(f => new FileInfo(Path.Combine(package, f)).Length);
            var zip = Path.Combine(Path.GetTempPath(), $"huiminbao-functions-{Guid.NewGuid():n}.zip");
            ZipFile.CreateFromDirectory(package, zip, CompressionLevel.Optimal, includeBaseDirectory: false);
            testOutput.WriteLine($"published package: {files.Count} files, {bytes / 1024.0 / 1024.0:0.0} MiB, zipped {new FileInfo(zip).Length / 1024.0 / 1024.0:0.0} MiB");
            File.Delete(zip);
        }
        finally
        {
            Directory.Delete(package, recursive: true);
        }
    }

    private async Task PublishAsync(string output)
    {
        // The build already happened (the tests reference the project); publish lays the package out from it.
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "publish", FunctionsBuildOutput.ProjectDirectory, "-c", FunctionsBuildOutput.Configuration, "-o", output, "--no-build", "-nodeReuse:false", "--disable-build-servers" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryRoot.Find(),
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        testOutput.WriteLine(await stdout);
        Assert.True(process.ExitCode == 0, $"dotnet publish failed:\n{await stdout}\n{await stderr}");
    }
}
