using HuiminBao.Hosting;

namespace HuiminBao.DevHost.Queues;

/// <summary>The local host's queue listeners: one per queue trigger of <see cref="PipelineTriggers"/>, as the Functions app has one function each.</summary>
public static class PipelineListeners
{
    public static IHostApplicationBuilder AddPipelineListeners(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<QueueListenerOptions>()
            .BindConfiguration(QueueListenerOptions.Section)
            .Configure<IConfiguration>((options, configuration) =>
            {
                if (configuration.GetValue<TimeSpan?>("DevHost:QueueLease") is { } lease)
                    options.Lease = lease;
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // Tests that drive handlers by hand turn the listeners off with DevHost:QueueListeners=false.
        if (!builder.Configuration.GetValue("DevHost:QueueListeners", true))
            return builder;
        foreach (var trigger in PipelineTriggers.Queues)
            builder.Services.AddSingleton<IHostedService>(services => ActivatorUtilities.CreateInstance<QueueListener>(services, trigger));
        return builder;
    }
}
