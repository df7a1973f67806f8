using System.Diagnostics;

namespace HuiminBao.DevHost.Roster;

/// <summary>
/// Samples the process's working set and managed heap every 100 ms while an import runs, so a
/// summary can report the peak during the import itself (the process's lifetime peak also counts
/// start-up and the file scan) and show that it stays flat as rows go by.
/// </summary>
public sealed class MemorySampler : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private long _peakWorkingSet;
    private long _peakHeap;

    private MemorySampler() => _sampling = SampleAsync();

    public static MemorySampler Start() => new();

    public long PeakWorkingSet => Interlocked.Read(ref _peakWorkingSet);

    public long PeakHeap => Interlocked.Read(ref _peakHeap);

    /// <summary>The working set now, in bytes.</summary>
    public static long WorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    /// <summary>Stops sampling and returns the peak working set seen, in bytes.</summary>
    public long Stop()
    {
        Dispose();
        return PeakWorkingSet;
    }

    public void Dispose()
    {
        if (_sampling.IsCompleted)
            return;
        _stop.Cancel();
        _sampling.GetAwaiter().GetResult();
        _stop.Dispose();
    }

    private async Task SampleAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Raise(ref _peakWorkingSet, WorkingSet());
            Raise(ref _peakHeap, GC.GetTotalMemory(forceFullCollection: false));
            try
            {
                await Task.Delay(100, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static void Raise(ref long peak, long value)
    {
        if (value > Interlocked.Read(ref peak))
            Interlocked.Exchange(ref peak, value);
    }
}
