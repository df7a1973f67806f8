using HuiminBao.Alerts;
using HuiminBao.Dashboard;
using HuiminBao.Enrollment;
using HuiminBao.Reports;
using HuiminBao.Tallies;
using HuiminBao.WeCom;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HuiminBao.Hosting;

/// <summary>Registrations of what ops watch: tallies, the dashboard, the WeCom robot with its alerts, and the daily report.</summary>
public static class OpsReporting
{
    public static IHostApplicationBuilder AddTallies(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<TallyCounters>();
        builder.Services.TryAddScoped<TallyQuery>();
        builder.Services.TryAddSingleton<DashboardPage>();
        return builder;
    }

    /// <summary>
    /// The ops robot and alerts. With <c>WeCom:WebhookUrl</c> empty, messages and alerts are logged
    /// only; otherwise they go to WeCom, alerts coalesced (<see cref="WeComOpsAlerts"/>). This replaces
    /// the logged-only <see cref="IOpsAlerts"/> whichever order the two registrations run in.
    /// </summary>
    public static IHostApplicationBuilder AddWeCom(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WeComOptions>().BindConfiguration(WeComOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHttpClient(WeComRobot.HttpClientName);
        builder.Services.TryAddSingleton<WeComRateGate>();
        builder.Services.TryAddSingleton<WeComRobot>();
        builder.Services.TryAddSingleton<LoggedOpsRobot>();
        builder.Services.TryAddSingleton<WeComOpsAlerts>();
        builder.Services.TryAddSingleton<LoggedOpsAlerts>();
        builder.Services.TryAddSingleton<IOpsRobot>(services => Enabled(services) ? services.GetRequiredService<WeComRobot>() : services.GetRequiredService<LoggedOpsRobot>());
        builder.Services.Replace(ServiceDescriptor.Singleton<IOpsAlerts>(services =>
            Enabled(services) ? services.GetRequiredService<WeComOpsAlerts>() : services.GetRequiredService<LoggedOpsAlerts>()));
        return builder;
    }

    public static IHostApplicationBuilder AddDailyReport(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DailyReportOptions>().BindConfiguration(DailyReportOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton<DailyReportMarkers>();
        builder.Services.TryAddScoped<DailyReport>();
        return builder;
    }

    private static bool Enabled(IServiceProvider services) => services.GetRequiredService<IOptions<WeComOptions>>().Value.Enabled;
}
