using Azure.Core;
using HuiminBao.Diagnostics;
using HuiminBao.Domain;
using HuiminBao.Intake;
using HuiminBao.Notifications;
using HuiminBao.Queues;
using HuiminBao.Security;
using HuiminBao.SignUps;
using HuiminBao.Storage;
using HuiminBao.WeChat;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HuiminBao.Hosting;

/// <summary>
/// Registrations both hosts share. Each reads its settings under the Functions app-setting names
/// (the same names in local.settings.json, the local host and Bicep) and validates them at start, so a misconfigured app fails to start instead of failing
/// its first user.
/// </summary>
public static class PipelineServices
{
    public static IHostApplicationBuilder AddClock(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }

    public static IHostApplicationBuilder AddStorage(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<StorageCallCounter>();
        // The in-memory per-minute counts intake, validation, notification and the 医保 circuit add to (health reads them).
        builder.Services.TryAddSingleton<PipelineMetrics>();
        // Intake's pressure is read by the queue stages' gate (AddProcessingGate); storage throttling feeds it from every client.
        builder.Services.TryAddSingleton<IntakePressure>();
        builder.Services.AddSingleton(services => new StoragePipelinePolicy(new ThrottlingWatch(services.GetRequiredService<IntakePressure>()), HttpPipelinePosition.PerRetry));
        builder.Services.TryAddSingleton<StorageAccount>();
        builder.Services.TryAddSingleton<StorageProvisioner>();
        // One store per process for the sign-ups table (it holds the group-commit writer), and one group
        // sender per queue: what arrives together shares a transaction or a message.
        builder.Services.TryAddSingleton<SignUpStore>();
        builder.Services.TryAddSingleton<SignUpSends>();
        builder.Services.TryAddSingleton<NotificationSends>();
        return builder;
    }

    public static IHostApplicationBuilder AddSecurity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidation>();
        builder.Services.TryAddSingleton<KeyedHashes>();
        builder.Services.TryAddSingleton<PersonalDataCipher>();
        builder.Services.TryAddSingleton<SessionTokens>();
        return builder;
    }

    public static IHostApplicationBuilder AddWeChat(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WeChatOptions>().BindConfiguration(WeChatOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHttpClient<WeChatLogin>();
        return builder;
    }

    public static IHostApplicationBuilder AddIntake(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EnrollmentOptions>().BindConfiguration(EnrollmentOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<IntakeOptions>().BindConfiguration(IntakeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<PrivacyOptions>().BindConfiguration(PrivacyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<SignUpSweepOptions>().BindConfiguration(SignUpSweepOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton<SignUpAdmission>();
        builder.Services.TryAddScoped<SignUpSweep>();
        builder.Services.TryAddScoped<SignUpIntake>();
        builder.Services.TryAddScoped<SignUpStatusQuery>();
        builder.Services.TryAddScoped<SessionExchange>();
        return builder;
    }
}
