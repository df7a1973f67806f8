using HuiminBao.DevHost.Azurite;
using HuiminBao.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;

namespace HuiminBao.DevHost.OpenApi;

/// <summary>
/// <c>dotnet run --project functions/HuiminBao.DevHost -- openapi docs/openapi.json</c>: composes
/// the local host as it serves (same registrations, same endpoints) and writes the document
/// generated from its endpoints. The host is started only so that its endpoints are built: with a
/// server that listens nowhere and none of the pipeline's background work (storage provisioning,
/// listeners, timers), so it needs no storage, no port and no network.
/// </summary>
public static class OpenApiCommand
{
    public const string Regenerate = "dotnet run --project functions/HuiminBao.DevHost -- openapi docs/openapi.json";

    /// <summary>
    /// Never contacted: the host isn't started. Set so the Azurite launcher, which acts on the
    /// default <c>UseDevelopmentStorage=true</c>, leaves storage alone.
    /// </summary>
    private const string UnusedStorage = "DefaultEndpointsProtocol=http;AccountName=openapi;AccountKey=b3BlbmFwaQ==;BlobEndpoint=http://127.0.0.1:9/openapi;QueueEndpoint=http://127.0.0.1:9/openapi;TableEndpoint=http://127.0.0.1:9/openapi";

    /// <param name="args">The file to write, <c>docs/openapi.json</c> when none is named. A relative
    /// path is taken from the repository root: <c>dotnet run</c> starts the program in the project's
    /// folder, not where the command was typed.</param>
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length > 1)
        {
            await Console.Error.WriteLineAsync("usage: " + Regenerate);
            return 2;
        }
        var path = System.IO.Path.Combine(RepositoryRoot.Find(), args is [var named] ? named : System.IO.Path.Combine("docs", "openapi.json"));
        var document = await GenerateAsync(CancellationToken.None);
        await File.WriteAllTextAsync(path, document);
        Console.WriteLine($"Wrote {System.IO.Path.GetFullPath(path)} ({document.Length:N0} characters).");
        return 0;
    }

    public static async Task<string> GenerateAsync(CancellationToken cancellationToken)
    {
        await using var app = await DevHostApp.CreateAsync(
            ["--environment=Development"],
            builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                [StorageAccount.Setting] = UnusedStorage,
                ["DevHost:QueueListeners"] = "false",
                ["DevHost:Timers"] = "false",
                ["DevHost:StandIns"] = "false",
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
            }),
            services =>
            {
                foreach (var work in services.Where(IsPipelineWork).ToList())
                    services.Remove(work);
                services.AddSingleton<IServer, NoServer>();
            },
            readLocalSettings: false);
        await app.StartAsync(cancellationToken);
        try
        {
            return await ApiDescription.GenerateAsync(app.Services, cancellationToken);
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
        }
    }

    private static bool IsPipelineWork(ServiceDescriptor service) =>
        service.ServiceType == typeof(IHostedService)
        && (service.ImplementationType ?? service.ImplementationFactory?.Method.DeclaringType)?.FullName?.StartsWith("HuiminBao.", StringComparison.Ordinal) == true;

    private sealed class NoServer : IServer
    {
        public IFeatureCollection Features { get; } = new FeatureCollection();

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
            where TContext : notnull => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
        }
    }
}
