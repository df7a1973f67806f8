using HuiminBao.Alerts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace HuiminBao.Enrollment.Eligibility;

/// <summary>
/// <see cref="IInsuranceLookup"/> per <c>Insurance:Mode</c>: the imported roster, or the 医保 service
/// behind retry with jitter, a per-attempt timeout and a circuit breaker.
/// </summary>
public static class EligibilityServices
{
    public const string PipelineName = "yibao";

    public static IHostApplicationBuilder AddEligibility(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<InsuranceOptions>().BindConfiguration(InsuranceOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<InsuranceOptions>, InsuranceOptionsValidation>();
        // Ops hear of an open circuit through the alert sink (WeCom when configured, the log otherwise).
        services.TryAddSingleton<IInsuranceCircuitObserver, AlertingInsuranceCircuitObserver>();
        services.TryAddSingleton<IOpsAlerts, LoggedOpsAlerts>();
        services.TryAddSingleton<RosterLookup>();

        services.AddHttpClient<YibaoServiceLookup>((sp, client) =>
            {
                var options = sp.GetRequiredService<IOptions<InsuranceOptions>>().Value;
                if (options.BaseUrl is { Length: > 0 } baseUrl)
                    client.BaseAddress = new Uri(baseUrl.TrimEnd('/') + "/");
                // On every call the lookup makes; the handler's logging shows no header values (below).
                if (options.EffectiveApiKey is { } apiKey)
                    client.DefaultRequestHeaders.TryAddWithoutValidation(options.ApiKeyHeader, apiKey);
                // The per-attempt timeout is the resilience handler's; this only bounds the whole, body included.
                client.Timeout = OverallBudget(options);
            })
            .RedactLoggedHeaders(_ => true)
            .AddResilienceHandler(PipelineName, (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<InsuranceOptions>>().Value;
                var observer = context.ServiceProvider.GetRequiredService<IInsuranceCircuitObserver>();
                if (options.MaxRetries > 0)
                {
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = options.MaxRetries,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        Delay = options.RetryDelay,
                        // A Retry-After of minutes would hold a queue worker; the message's redelivery waits instead.
                        ShouldRetryAfterHeader = false,
                    });
                }
                pipeline
                    .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                    {
                        FailureRatio = 0.5,
                        MinimumThroughput = options.CircuitMinimumThroughput,
                        SamplingDuration = options.CircuitSamplingDuration,
                        BreakDuration = options.CircuitBreakDuration,
                        OnOpened = args =>
                        {
                            observer.Opened(args.BreakDuration);
                            return ValueTask.CompletedTask;
                        },
                        OnClosed = _ =>
                        {
                            observer.Closed();
                            return ValueTask.CompletedTask;
                        },
                    })
                    .AddTimeout(options.Timeout);
            });

        services.TryAddTransient<IInsuranceLookup>(sp =>
            sp.GetRequiredService<IOptions<InsuranceOptions>>().Value.Mode == InsuranceModes.Http
                ? sp.GetRequiredService<YibaoServiceLookup>()
                : sp.GetRequiredService<RosterLookup>());
        return builder;
    }

    /// <summary>Every attempt at its timeout plus generous room for the jittered backoff between them.</summary>
    private static TimeSpan OverallBudget(InsuranceOptions options) =>
        options.Timeout * (options.MaxRetries + 1) + options.RetryDelay * Math.Pow(2, options.MaxRetries + 1) + TimeSpan.FromSeconds(5);
}
