using HuiminBao.Dashboard;
using HuiminBao.Tallies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace HuiminBao.Hosting;

/// <summary>Registrations of what ops watch: tallies and the dashboard.</summary>
public static class OpsReporting
{
    public static IHostApplicationBuilder AddTallies(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<TallyCounters>();
        builder.Services.TryAddScoped<TallyQuery>();
        builder.Services.TryAddSingleton<DashboardPage>();
        return builder;
    }
}
