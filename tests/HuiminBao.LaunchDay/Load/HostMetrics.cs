using System.Net.Http.Json;
using HuiminBao.LaunchDay.Harness;

namespace HuiminBao.LaunchDay.Load;

/// <summary>The local host's own counters (<c>/admin/metrics</c>): storage calls by operation and memory.</summary>
public sealed record HostMetrics(long StorageCalls, Dictionary<string, long> StorageCallsByOperation, long WorkingSetBytes, long PeakWorkingSetBytes, long ManagedHeapBytes)
{
    public static async Task<HostMetrics> ReadAsync(PipelineStack stack) =>
        (await stack.Client.GetFromJsonAsync<HostMetrics>("/admin/metrics"))!;

    /// <summary>Storage calls by operation made between <paramref name="earlier"/> and this reading.</summary>
    public Dictionary<string, long> Since(HostMetrics earlier) =>
        StorageCallsByOperation.ToDictionary(p => p.Key, p => p.Value - earlier.StorageCallsByOperation.GetValueOrDefault(p.Key));
}
