using System.Diagnostics;
using System.Globalization;

namespace HuiminBao.LaunchDay.Harness;

/// <summary>
/// SIGINT, Ctrl+C, for processes that save their state on the way out (.NET's Process.Kill is SIGKILL).
/// SIGINT rather than SIGTERM because Azurite's table service only handles SIGINT: on SIGTERM it dies
/// without saving, like a SIGKILL.
/// </summary>
internal static class GracefulStop
{
    public static async Task InterruptAsync(IEnumerable<int> processIds, TimeSpan within)
    {
        var ids = processIds.ToList();
        foreach (var id in ids)
        {
            using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-INT", id.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
            await kill.WaitForExitAsync();
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (ids.Any(IsRunning))
        {
            if (clock.Elapsed > within)
                throw new TimeoutException($"Processes {string.Join(", ", ids.Where(IsRunning))} did not exit within {within} of SIGINT.");
            await Task.Delay(100);
        }
    }

    private static bool IsRunning(int id)
    {
        try
        {
            using var process = Process.GetProcessById(id);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
