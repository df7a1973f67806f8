using System.Diagnostics;
using System.Net;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using HuiminBao.Functions.Hosting;
using HuiminBao.StandIns;
using HuiminBao.Storage;
using HuiminBao.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Logs;
using OpenTelemetry.Trace;

namespace HuiminBao.Tests.Functions;

/// <summary>What an HTTP trigger answered, read back off the response it wrote.</summary>
internal sealed record FunctionResponse(int Status, IHeaderDictionary Headers, string Body)
{
    public System.Text.Json.JsonElement Json => System.Text.Json.JsonDocument.Parse(Body).RootElement;
}

/// <summary>
/// The Functions app's own host, composed by <see cref="FunctionsApp.AddFunctionsApp"/> exactly as
/// Program.cs composes it, built with scope and build-time validation, never started (starting
/// dials the Functions host over gRPC). Triggers are the app's own classes, resolved from its
/// container and called as the worker calls them: HTTP triggers through a real
/// <see cref="HttpContext"/> and the app's worker middleware, queue and timer triggers with the
/// binding data the host would pass.
/// </summary>
internal sealed class FunctionsAppHost : IAsyncDisposable
{
    public const string OpsKeyName = "ops-tester";
    public const string OpsKey = "functions-test-ops-key";
    public const string AppId = "wxfunctions00001";
    public const string AppSecret = "functions-test-app-secret";

    private readonly LoopbackServer _weChatServer;

    private readonly List<Activity> _spans;
    private readonly List<LogRecord> _logs;

    private FunctionsAppHost(IHost host, LoopbackServer weChatServer, WeChatStandIn weChat, StorageProbe storage, IReadOnlyDictionary<string, string?> settings, List<Activity> spans, List<LogRecord> logs)
    {
        Host = host;
        _spans = spans;
        _logs = logs;
        _weChatServer = weChatServer;
        WeChat = weChat;
        Storage = storage;
        Settings = settings;
    }

    public IHost Host { get; }

    public IServiceProvider Services => Host.Services;

    public WeChatStandIn WeChat { get; }

    public StorageProbe Storage { get; }

    public IReadOnlyDictionary<string, string?> Settings { get; }

    public static async Task<FunctionsAppHost> StartAsync(AzuriteFixture azurite, IDictionary<string, string?>? settings = null, string? connectionString = null, bool provision = true)
    {
        var weChat = new WeChatStandIn(AppId, AppSecret);
        var weChatServer = await LoopbackServer.StartAsync(weChat.Map);
        var connection = connectionString ?? azurite.NewAccount();
        var values = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = connection,
            ["WeChat:BaseUrl"] = weChatServer.BaseAddress.ToString().TrimEnd('/'),
            ["WeChat:AppId"] = AppId,
            ["WeChat:AppSecret"] = AppSecret,
            // The app starts in Production here, where the published development keys are refused.
            ["Security:IdHashKey"] = RandomKey(),
            ["Security:DataKey"] = RandomKey(),
            ["Security:SessionKey"] = RandomKey(),
            ["Ops:Keys"] = $"{OpsKeyName}:{OpsKey}",
            ["Privacy:ConsentVersions"] = People.Consent,
            ["Notifications:TemplateId"] = WeChatStandIn.SignUpResultTemplateId,
            ["Notifications:MiniProgramState"] = "developer",
            ["Notifications:Fields:Outcome"] = "phrase1",
            ["Notifications:Fields:Insured"] = "thing2",
            ["Notifications:Fields:PlanYear"] = "character_string3",
            ["Notifications:Fields:Remark"] = "thing4",
            ["Enrollment:PlanYear"] = PipelineHost.PlanYear.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            values[key] = value;

        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(values);
        builder.AddFunctionsApp();
        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
        var spans = new List<Activity>();
        var logs = new List<LogRecord>();
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans));
        builder.Services.ConfigureOpenTelemetryLoggerProvider(logging => logging.AddInMemoryExporter(logs));
        var host = builder.Build();
        // What starting would check: every options validator registered with ValidateOnStart.
        host.Services.GetRequiredService<IStartupValidator>().Validate();
        // The host isn't started, so nothing built the tracer provider that listens for spans.
        _ = host.Services.GetRequiredService<TracerProvider>();
        if (provision)
            await host.Services.GetRequiredService<StorageProvisioner>().EnsureCreatedAsync(CancellationToken.None);

        return new FunctionsAppHost(host, weChatServer, weChat, new StorageProbe(connection), values, spans, logs);
    }

    /// <summary>Everything exported so far: the in-memory exporters' lists, flushed.</summary>
    public (IReadOnlyList<Activity> Spans, IReadOnlyList<LogRecord> Logs) Exported()
    {
        Services.GetRequiredService<TracerProvider>().ForceFlush();
        Services.GetService<LoggerProvider>()?.ForceFlush();
        return (_spans.ToList(), _logs.ToList());
    }

    /// <summary>Calls an HTTP trigger the way the worker does: the app's worker middleware, then the function, then its IResult on the response.</summary>
    public async Task<FunctionResponse> HttpAsync(string function, string method, string path, string? body = null, IDictionary<string, string>? headers = null, string? contentType = "application/json", IPAddress? client = null)
    {
        await using var scope = Services.CreateAsyncScope();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        http.Request.Method = method;
        var query = path.IndexOf('?', StringComparison.Ordinal);
        http.Request.Path = query < 0 ? path : path[..query];
        http.Request.QueryString = query < 0 ? QueryString.Empty : new QueryString(path[query..]);
        http.Request.Scheme = "https";
        http.Request.Host = new HostString("func-test.azurewebsites.net");
        http.Connection.RemoteIpAddress = client ?? IPAddress.Parse("203.0.113.7");
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            http.Request.Headers[name] = value;
        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            http.Request.Body = new MemoryStream(bytes);
            http.Request.ContentLength = bytes.Length;
            http.Request.ContentType = contentType;
        }
        var responseBody = new MemoryStream();
        var response = new CompletingResponseFeature();
        http.Features.Set<IHttpResponseFeature>(response);
        http.Response.Body = responseBody;

        var context = new TestFunctionContext(scope.ServiceProvider, function, "httpTrigger", http: http);
        var routeValues = RouteValues(function, http.Request.Path);
        object? result = null;
        var middleware = ActivatorUtilities.CreateInstance<RequestPolicyMiddleware>(scope.ServiceProvider);
        await middleware.Invoke(context, async _ => result = await InvokeAsync(scope.ServiceProvider, function, context, http.Request, routeValues, message: null));
        // As the ASP.NET Core integration does after the middleware: the function's IResult writes the response.
        if (result is IResult written && !http.Response.HasStarted)
            await written.ExecuteAsync(http);
        // What Kestrel does once the response is sent (the audit record takes its status here).
        await response.CompleteAsync();
        return new FunctionResponse(http.Response.StatusCode, http.Response.Headers, Encoding.UTF8.GetString(responseBody.ToArray()));
    }

    /// <summary>Calls a queue trigger with a message as the host hands it over (decoded from base64), and the binding data the trigger reads.</summary>
    public async Task QueueAsync(string function, string message, long dequeueCount = 1)
    {
        await using var scope = Services.CreateAsyncScope();
        var data = new Dictionary<string, object?>
        {
            ["Id"] = Guid.NewGuid().ToString(),
            ["DequeueCount"] = dequeueCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["InsertionTime"] = Services.GetRequiredService<TimeProvider>().GetUtcNow().ToString("o", System.Globalization.CultureInfo.InvariantCulture),
        };
        var context = new TestFunctionContext(scope.ServiceProvider, function, "queueTrigger", data);
        await InvokeAsync(scope.ServiceProvider, function, context, request: null, routeValues: null, message);
    }

    public async Task TimerAsync(string function)
    {
        await using var scope = Services.CreateAsyncScope();
        var context = new TestFunctionContext(scope.ServiceProvider, function, "timerTrigger");
        await InvokeAsync(scope.ServiceProvider, function, context, request: null, routeValues: null, message: null);
    }

    /// <summary>Takes the next message off a queue as the queue trigger would, decoded, and deletes it.</summary>
    public async Task<string> TakeMessageAsync(string queue)
    {
        var client = Storage.Queue(queue);
        var received = await Eventually.ReturnsAsync(async () => (await client.ReceiveMessagesAsync(1)).Value, m => m.Length == 1, TimeSpan.FromSeconds(10), $"a message on {queue}");
        await client.DeleteMessageAsync(received[0].MessageId, received[0].PopReceipt);
        return received[0].Body.ToString();
    }

    public static MethodInfo FunctionMethod(string function) =>
        typeof(FunctionsApp).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .Single(m => m.GetCustomAttribute<FunctionAttribute>()?.Name == function);

    private static async Task<object?> InvokeAsync(IServiceProvider services, string function, FunctionContext context, HttpRequest? request, IReadOnlyDictionary<string, string>? routeValues, string? message)
    {
        var method = FunctionMethod(function);
        var target = ActivatorUtilities.CreateInstance(services, method.DeclaringType!);
        var arguments = method.GetParameters().Select(object? (p) => p.ParameterType switch
        {
            var t when t == typeof(HttpRequest) => request,
            var t when t == typeof(FunctionContext) => context,
            var t when t == typeof(CancellationToken) => CancellationToken.None,
            var t when t == typeof(TimerInfo) => new TimerInfo(),
            var t when t == typeof(string) && routeValues is not null => routeValues.GetValueOrDefault(p.Name!),
            var t when t == typeof(string) => message,
            var t => throw new NotSupportedException($"{function}: no test binding for {t.Name} {p.Name}"),
        }).ToArray();
        var returned = method.Invoke(target, arguments);
        switch (returned)
        {
            case Task task:
                await task;
                return task.GetType().IsGenericType ? task.GetType().GetProperty("Result")!.GetValue(task) : null;
            default:
                return returned;
        }
    }

    /// <summary>The route values a template like <c>ops/reviews/{id}/requeue</c> gives for a path.</summary>
    private static Dictionary<string, string> RouteValues(string function, PathString path)
    {
        var route = HuiminBao.Http.ApiRoutes.Named(function) ?? throw new InvalidOperationException($"{function} is not in the route table");
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var template = route.Pattern.Split('/');
        var actual = path.Value!.Split('/');
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i].StartsWith('{') && i < actual.Length)
                values[template[i].Trim('{', '}', '?')] = Uri.UnescapeDataString(actual[i]);
        }
        return values;
    }

    /// <summary>A response feature that, unlike the default one, keeps OnCompleted callbacks so the harness can run them as the server would.</summary>
    private sealed class CompletingResponseFeature : HttpResponseFeature
    {
        private readonly List<(Func<object, Task> Callback, object State)> _completed = [];

        public override void OnCompleted(Func<object, Task> callback, object state) => _completed.Add((callback, state));

        public async Task CompleteAsync()
        {
            foreach (var (callback, state) in Enumerable.Reverse(_completed))
                await callback(state);
        }
    }

    public static Dictionary<string, string> OpsHeaders() => new() { ["x-functions-key"] = OpsKey };

    public static Dictionary<string, string> Bearer(string token) => new() { ["authorization"] = "Bearer " + token };

    public T Option<T>() where T : class => Services.GetRequiredService<IOptions<T>>().Value;

    private static string RandomKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public async ValueTask DisposeAsync()
    {
        Host.Dispose();
        await _weChatServer.DisposeAsync();
    }
}
