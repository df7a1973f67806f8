using System.Diagnostics;
using HuiminBao.Storage;

namespace HuiminBao.DevHost.Http;

/// <summary>
/// Local-host diagnostics for benchmarks (not a Functions route, so outside <c>/api</c>): storage
/// calls counted by the SDK pipeline, and this process's memory.
/// </summary>
public static class AdminRoutes
{
    public static IEndpointRouteBuilder MapAdminRoutes(this IEndpointRouteBuilder app)
    {
        app.MapGet("/admin/metrics", (StorageCallCounter storage) =>
        {
            using var process = Process.GetCurrentProcess();
            return Results.Json(new AdminMetrics(storage.Total, storage.ByOperation, process.WorkingSet64, process.PeakWorkingSet64, GC.GetTotalMemory(false)));
        });
        return app;
    }
}

public sealed record AdminMetrics(long StorageCalls, IReadOnlyDictionary<string, long> StorageCallsByOperation, long WorkingSetBytes, long PeakWorkingSetBytes, long ManagedHeapBytes);
