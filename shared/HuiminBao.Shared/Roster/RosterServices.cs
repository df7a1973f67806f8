using HuiminBao.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace HuiminBao.Roster;

/// <summary>The roster import: upload route, status route, <c>roster-imports</c> handler, and the importer the command line uses.</summary>
public static class RosterServices
{
    public static IHostApplicationBuilder AddRosterImport(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<RosterImportOptions>().BindConfiguration(RosterImportOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<RosterUploadSeal>();
        services.TryAddSingleton<RosterImportRecords>();
        services.TryAddSingleton<RosterImportMessages>();
        services.TryAddSingleton<RosterImport>();
        services.TryAddScoped<RosterUpload>();
        services.TryAddScoped<RosterDrops>();
        services.TryAddSingleton<RosterPopulations>();
        services.TryAddScoped<RosterImportStatusQuery>();
        services.TryAddScoped<RosterImportHandler>();
        services.TryAddScoped<IQueueHandler<RosterImportQueued>>(sp => sp.GetRequiredService<RosterImportHandler>());
        return builder;
    }
}
