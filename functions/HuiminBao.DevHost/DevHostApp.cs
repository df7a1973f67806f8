using HuiminBao.DevHost.Azurite;
using HuiminBao.DevHost.Configuration;
using HuiminBao.DevHost.Http;
using HuiminBao.DevHost.OpenApi;
using HuiminBao.DevHost.Queues;
using HuiminBao.DevHost.StandIns;
using HuiminBao.DevHost.Timers;
using HuiminBao.Hosting;

namespace HuiminBao.DevHost;

/// <summary>
/// Composes the local host. <c>Program</c> runs it; tests build the same app with their own
/// settings (storage, ports, clock) layered on top.
/// </summary>
public static class DevHostApp
{
    /// <param name="configure">Runs before the pipeline's registrations: settings, logging.</param>
    /// <param name="overrides">Runs after them, so a test's replacement (a clock, a lookup) wins.</param>
    /// <param name="readLocalSettings">Tests pass false so a developer's <c>local.settings.json</c> can't change what they test.</param>
    public static async Task<WebApplication> CreateAsync(
        string[] args,
        Action<WebApplicationBuilder>? configure = null,
        Action<IServiceCollection>? overrides = null,
        bool readLocalSettings = true)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddFunctionsSettings(readLocalSettings);
        configure?.Invoke(builder);
        await builder.AddLocalAzuriteAsync();
        builder.AddPipeline();
        builder.AddPipelineListeners();
        builder.AddPipelineTimers();
        builder.AddProblemResponses();
        builder.AddStorageProvisioning();
        builder.AddStandIns();
        builder.AddApiDescription();

        overrides?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseProblemResponses();
        app.UseRequestPolicy();
        app.MapApi();
        app.MapStandIns();
        app.MapAdminRoutes();
        app.MapReferencePage();
        return app;
    }
}
