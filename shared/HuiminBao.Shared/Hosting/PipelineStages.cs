using HuiminBao.Alerts;
using HuiminBao.Enrollment;
using HuiminBao.Queues;
using HuiminBao.Reviews;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace HuiminBao.Hosting;

/// <summary>Registrations of the queue-driven stages and ops' review tools, shared by both hosts.</summary>
public static class PipelineStages
{
    public static IHostApplicationBuilder AddEnrollment(this IHostApplicationBuilder builder)
    {
        // One ledger per process: it caches counter ETags and serialises its own writes per partition.
        builder.Services.TryAddSingleton<EnrollmentLedger>();
        builder.AddProcessingGate();
        builder.Services.TryAddScoped<SignUpValidation>();
        return builder;
    }

    public static IHostApplicationBuilder AddReviews(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<IOpsAlerts, LoggedOpsAlerts>();
        builder.Services.TryAddScoped<SignUpPoisonReview>();
        builder.Services.TryAddScoped<PoisonedSignUps>();
        return builder;
    }

    /// <summary>The gate through which the queue stages yield to intake (<see cref="ProcessingGate"/>): one per process, shared by the stages.</summary>
    public static IHostApplicationBuilder AddProcessingGate(this IHostApplicationBuilder builder)
    {
        if (builder.Services.Any(d => d.ServiceType == typeof(ProcessingGate)))
            return builder;
        builder.Services.AddOptions<ProcessingGateOptions>().BindConfiguration(ProcessingGateOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton<IntakePressure>();
        builder.Services.AddSingleton<ProcessingGate>();
        return builder;
    }
}
