using HuiminBao.Audit;
using HuiminBao.Enrollment.Eligibility;
using HuiminBao.Health;
using HuiminBao.Http;
using HuiminBao.Roster;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HuiminBao.Hosting;

/// <summary>The one registration of the pipeline; the Functions app and the local host both call it, then add only what is theirs.</summary>
public static class Pipeline
{
    public static IHostApplicationBuilder AddPipeline(this IHostApplicationBuilder builder)
    {
        builder.AddClock();
        builder.AddStorage();
        builder.AddSecurity();
        builder.AddWeChat();
        builder.AddIntake();
        builder.AddEligibility();
        builder.AddEnrollment();
        builder.AddRosterImport();
        builder.AddReviews();
        builder.AddNotifications();
        builder.AddTallies();
        builder.AddWeCom();
        builder.AddDailyReport();
        builder.AddPrivacy();
        builder.AddRequestPolicy();
        builder.AddHealth();
        builder.Services.AddOptions<SecretReferences>().Configure<IConfiguration>(SecretReferenceValidation.Read).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SecretReferences>, SecretReferenceValidation>();
        foreach (var trigger in PipelineTriggers.Queues)
            builder.Services.TryAddScoped(trigger.Handler);
        foreach (var trigger in PipelineTriggers.Timers)
            builder.Services.TryAddScoped(trigger.Handler);
        return builder;
    }

    /// <summary>Live pipeline health: counts in every instance, flushed to storage, read and watched for ops.</summary>
    public static IHostApplicationBuilder AddHealth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<HealthOptions>().BindConfiguration(HealthOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton<HealthQuery>();
        builder.Services.TryAddSingleton<HealthMetricsFlusher>();
        builder.Services.AddHostedService(services => services.GetRequiredService<HealthMetricsFlusher>());
        return builder;
    }

    /// <summary>What every HTTP request meets around its handler (<see cref="RequestPolicy"/>).</summary>
    public static IHostApplicationBuilder AddRequestPolicy(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>()
            .BindConfiguration(RateLimitOptions.Section)
            .Configure<IConfiguration>((limits, configuration) => limits.ClientAddressHeader ??= NullIfEmpty(configuration[RateLimitOptions.ClientAddressHeaderSetting]))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton<OpsKeys>();
        builder.Services.TryAddSingleton<OpsConsoleSessions>();
        builder.Services.TryAddSingleton<AuditLog>();
        builder.Services.TryAddScoped<AuditQuery>();
        builder.Services.TryAddSingleton<SharedRateCounters>();
        builder.Services.TryAddSingleton<RequestRateLimits>();
        builder.Services.TryAddSingleton<RequestPolicy>();
        return builder;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
