using System.Net.Http.Json;
using HuiminBao.LaunchDay.Harness;

namespace HuiminBao.LaunchDay.Load;

/// <summary>The local host's own counters (<c>/admin/metrics</c>): storage calls by operation, memory, and how hard processing is held back for intake.</summary>
public sealed record HostMetrics(long StorageCalls, Dictionary<string, long> StorageCallsByOperation, long WorkingSetBytes, long PeakWorkingSetBytes, long ManagedHeapBytes, PressureGauge? Pressure = null, Dictionary<string, LanesGauge>? Lanes = null)
{
    public static async Task<HostMetrics> ReadAsync(PipelineStack stack) =>
        (await stack.Client.GetFromJsonAsync<HostMetrics>("/admin/metrics"))!;

    /// <summary>Storage calls by operation made between <paramref name="earlier"/> and this reading.</summary>
    public Dictionary<string, long> Since(HostMetrics earlier) =>
        StorageCallsByOperation.ToDictionary(p => p.Key, p => p.Value - earlier.StorageCallsByOperation.GetValueOrDefault(p.Key));
}

/// <summary>
/// The processing gate as the host last saw it: how many items processing may run at once, how many
/// run and wait, intake's recent latency (p90, ms) and throttling answers from storage in the last window.
/// </summary>
public sealed record PressureGauge(int Limit, int Running, int Waiting, double IntakeP90Milliseconds, int IntakeSamples, long Throttled);

/// <summary>One storage service's lanes as the host last saw them: calls in flight and waiting, and how many had to wait so far.</summary>
public sealed record LanesGauge(int InFlight, int IntakeWaiting, int OtherWaiting, long IntakeWaited, long OtherWaited);
