using System.Diagnostics;
using System.Text.Json;
using HuiminBao.DevHost.Azurite;

namespace HuiminBao.Tests.Infrastructure;

/// <summary>
/// Runs one of <c>tests/browser/*-snapshot.cjs</c> (real Chromium through playwright-core) against a
/// page and returns what it printed: what the page showed, as JSON. The script saves the screenshot.
/// </summary>
public static class BrowserSnapshot
{
    public static async Task<JsonElement> TakeAsync(string script, Uri page, string screenshot, TimeSpan within)
    {
        var root = RepositoryRoot.Find();
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
        start.ArgumentList.Add(Path.Combine(root, "tests", "browser", script));
        start.ArgumentList.Add(page.ToString());
        start.ArgumentList.Add(screenshot);
        using var node = Process.Start(start)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await node.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            node.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} did not finish in {within.TotalSeconds:0} s: " + await stderr);
        }
        Assert.True(node.ExitCode == 0, $"{script} failed (exit {node.ExitCode}): {await stderr}");
        return JsonDocument.Parse(await stdout).RootElement.Clone();
    }
}
