using System.Diagnostics;
using HuiminBao.Queues;
using HuiminBao.Storage;

namespace HuiminBao.DevHost.Http;

/// <summary>
/// Local-host diagnostics for benchmarks (not a Functions route, so outside <c>/api</c>): storage
/// calls counted by the SDK pipeline, this process's memory, and how far processing yields to intake.
/// </summary>
public static class AdminRoutes
{
    public static IEndpointRouteBuilder MapAdminRoutes(this IEndpointRouteBuilder app)
    {
        app.MapGet("/admin/metrics", (StorageCallCounter storage, ProcessingGate gate) =>
        {
            using var process = Process.GetCurrentProcess();
            return Results.Json(new AdminMetrics(storage.Total, storage.ByOperation, process.WorkingSet64, process.PeakWorkingSet64, GC.GetTotalMemory(false), gate.Gauge()));
        });
        return app;
    }
}

public sealed record AdminMetrics(long StorageCalls, IReadOnlyDictionary<string, long> StorageCallsByOperation, long WorkingSetBytes, long PeakWorkingSetBytes, long ManagedHeapBytes, ProcessingGateGauge Pressure);
