using System.Diagnostics;
using System.Globalization;

namespace HuiminBao.DevHost.Roster;

/// <summary>
/// The command line's name on an import's claim, <c>cli:{machine}:{process id}</c>, so that a later
/// run on the same machine can tell its own interrupted predecessor (gone, its claim not yet lapsed)
/// from a live runner, and carry on at once instead of waiting out the lease.
/// </summary>
internal static class LocalRunner
{
    private const string Prefix = "cli:";

    public static string Name { get; } = string.Create(CultureInfo.InvariantCulture, $"{Prefix}{Environment.MachineName}:{Environment.ProcessId}");

    public static bool IsGone(string? holder)
    {
        if (holder?.Split(':') is not [_, var machine, var pid] || !holder.StartsWith(Prefix, StringComparison.Ordinal)
            || machine != Environment.MachineName || !int.TryParse(pid, CultureInfo.InvariantCulture, out var processId))
            return false;
        try
        {
            using var process = Process.GetProcessById(processId);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }
}
