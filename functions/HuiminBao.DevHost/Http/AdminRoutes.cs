using System.Diagnostics;
using HuiminBao.Queues;
using HuiminBao.Storage;

namespace HuiminBao.DevHost.Http;

/// <summary>
/// Local-host diagnostics for benchmarks (not a Functions route, so outside <c>/api</c>): storage
/// calls counted by the SDK pipeline, this process's memory, and how processing yields to intake (the gate, the storage lanes).
/// </summary>
public static class AdminRoutes
{
    public static IEndpointRouteBuilder MapAdminRoutes(this IEndpointRouteBuilder app)
    {
        app.MapGet("/admin/metrics", (StorageCallCounter storage, StorageAccount account, ProcessingGate gate) =>
        {
            using var process = Process.GetCurrentProcess();
            return Results.Json(new AdminMetrics(storage.Total, storage.ByOperation, process.WorkingSet64, process.PeakWorkingSet64, GC.GetTotalMemory(false), gate.Gauge(),
                new Dictionary<string, StorageLanesGauge> { ["table"] = account.TableLanes.Gauge(), ["queue"] = account.QueueLanes.Gauge() }));
        });
        return app;
    }
}

public sealed record AdminMetrics(long StorageCalls, IReadOnlyDictionary<string, long> StorageCallsByOperation, long WorkingSetBytes, long PeakWorkingSetBytes, long ManagedHeapBytes, ProcessingGateGauge Pressure, IReadOnlyDictionary<string, StorageLanesGauge> Lanes);
