using HuiminBao.Privacy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace HuiminBao.Hosting;

/// <summary>What the pipeline does about personal data itself: erasure on request, retention, re-sealing after a key rotation.</summary>
public static class PrivacyServices
{
    public static IHostApplicationBuilder AddPrivacy(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton<RetentionWindows>();
        builder.Services.TryAddScoped<SignUpErasure>();
        builder.Services.TryAddScoped<RetentionPurge>();
        builder.Services.TryAddScoped<DataKeyReseal>();
        return builder;
    }
}
