using HuiminBao.Alerts;
using HuiminBao.Enrollment;
using HuiminBao.Reviews;
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
}
