using System.Text.Json.Serialization.Metadata;
using HuiminBao.Queues;

namespace HuiminBao.DevHost.Queues;

/// <summary>A queue and the handler its messages go to, as a <c>[QueueTrigger]</c> binds them in the Functions app.</summary>
public sealed record QueueBinding(string Queue, Func<IServiceProvider, BinaryData, QueueDelivery, CancellationToken, Task> Invoke);

public static class QueueBindings
{
    /// <summary>Adds a listener that deserialises each message as <typeparamref name="TMessage"/> and hands it to <typeparamref name="THandler"/>.</summary>
    public static IHostApplicationBuilder AddQueueListener<TMessage, THandler>(this IHostApplicationBuilder builder, string queue, JsonTypeInfo<TMessage> json)
        where THandler : class, IQueueHandler<TMessage>
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
        builder.Services.AddScoped<THandler>();
        var binding = new QueueBinding(queue, (services, body, delivery, cancellationToken) =>
        {
            // A message that isn't valid JSON for its type fails like any handler error: retried, then poisoned.
            var message = QueueMessages.Read(body, json);
            return services.GetRequiredService<THandler>().HandleAsync(message, delivery, cancellationToken);
        });
        // Tests that drive handlers by hand turn the listeners off with DevHost:QueueListeners=false.
        if (builder.Configuration.GetValue("DevHost:QueueListeners", true))
            builder.Services.AddSingleton<IHostedService>(services => ActivatorUtilities.CreateInstance<QueueListener>(services, binding));
        builder.Services.AddSingleton(binding);
        return builder;
    }
}
