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
    public static IHost Build(IDictionary<string, string?> settings, CapturedLogs? logs = null, Action<IServiceCollection>? services = null, string environment = "Development")
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = environment });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Security:IdHashKey"] = environment == "Development" ? DevelopmentKeys.IdHashKey : RandomKey(),
            ["Security:DataKey"] = environment == "Development" ? DevelopmentKeys.DataKey : RandomKey(),
            ["Security:SessionKey"] = environment == "Development" ? DevelopmentKeys.SessionKey : RandomKey(),
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

    private static string RandomKey() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
}
