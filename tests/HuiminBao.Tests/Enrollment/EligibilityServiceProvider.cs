using HuiminBao.Enrollment.Eligibility;
using HuiminBao.Hosting;
using HuiminBao.Roster;
using HuiminBao.Security;
using HuiminBao.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HuiminBao.Tests.Enrollment;

/// <summary>The shared registrations (storage, security, eligibility, roster import) as a host composes them, with test settings on top.</summary>
internal static class EligibilityServiceProvider
{
    public static IHost Build(IDictionary<string, string?> settings, CapturedLogs? logs = null, Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Security:IdHashKey"] = DevelopmentKeys.IdHashKey,
            ["Security:DataKey"] = DevelopmentKeys.DataKey,
            ["Security:SessionKey"] = DevelopmentKeys.SessionKey,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        if (logs is not null)
            builder.Logging.AddProvider(logs);
        builder.AddClock();
        builder.AddStorage();
        builder.AddSecurity();
        builder.AddEligibility();
        builder.AddRosterImport();
        services?.Invoke(builder.Services);
        return builder.Build();
    }
}
