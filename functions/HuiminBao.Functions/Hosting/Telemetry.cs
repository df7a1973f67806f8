using System.Diagnostics;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using HuiminBao.Diagnostics;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Trace;

namespace HuiminBao.Functions.Hosting;

/// <summary>
/// OpenTelemetry with the Azure Monitor exporter: Microsoft's current way for the isolated worker
/// (the Application Insights WorkerService SDK 3.x no longer works with the worker's
/// <c>ConfigureFunctionsApplicationInsights</c>). Every span and log record passes through a
/// redacting processor before any exporter sees it, so secrets in URLs (WeChat's AppSecret, login
/// codes and access tokens, ops keys, SAS signatures) never leave the process.
/// </summary>
public static class Telemetry
{
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    public static FunctionsApplicationBuilder AddTelemetry(this FunctionsApplicationBuilder builder)
    {
        var telemetry = builder.Services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithTracing(tracing => tracing
                .AddProcessor(new RedactingSpanProcessor())
                .AddHttpClientInstrumentation(http => http.EnrichWithHttpRequestMessage = (activity, request) =>
                {
                    // .NET hides the whole query (?*); this keeps the harmless names and values visible.
                    if (request.RequestUri is { } uri)
                        activity.SetTag("url.full", TelemetryRedaction.Url(uri.AbsoluteUri));
                }))
            .WithLogging(logging => logging.AddProcessor(new RedactingLogProcessor()));

        // Without a connection string (tests, a local run) nothing is exported.
        if (!string.IsNullOrEmpty(builder.Configuration[ConnectionStringSetting]))
        {
            // Application Insights takes Entra-authenticated telemetry only: the app's user-assigned identity.
            var clientId = builder.Configuration["AzureWebJobsStorage:clientId"];
            telemetry.UseAzureMonitorExporter(exporter =>
            {
                if (!string.IsNullOrEmpty(clientId))
                    exporter.Credential = new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
            });
        }
        return builder;
    }

    private sealed class RedactingSpanProcessor : BaseProcessor<Activity>
    {
        private static readonly string[] UrlTags = ["url.full", "http.url", "url.query", "http.target", "url.original", "url.path"];

        public override void OnEnd(Activity data)
        {
            foreach (var tag in UrlTags)
            {
                if (data.GetTagItem(tag) is string value)
                    data.SetTag(tag, TelemetryRedaction.Text(value));
            }
            data.DisplayName = TelemetryRedaction.Text(data.DisplayName);
        }
    }

    private sealed class RedactingLogProcessor : BaseProcessor<LogRecord>
    {
        public override void OnEnd(LogRecord data)
        {
            if (data.Attributes is { } attributes)
                data.Attributes = [.. attributes.Select(a => a.Value is string text ? new KeyValuePair<string, object?>(a.Key, TelemetryRedaction.Text(text)) : a)];
            if (data.FormattedMessage is { } message)
                data.FormattedMessage = TelemetryRedaction.Text(message);
            if (data.Body is { } body)
                data.Body = TelemetryRedaction.Text(body);
        }
    }
}
