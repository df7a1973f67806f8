using HuiminBao.Storage;

namespace HuiminBao.DevHost.Azurite;

/// <summary>
/// With the default <c>UseDevelopmentStorage=true</c>, the local host uses the Azurite already on the
/// default ports, or starts one itself (data under <c>.azurite/</c> so it survives restarts) and stops it on exit.
/// </summary>
public static class LocalStorage
{
    public static async Task<IHostApplicationBuilder> AddLocalAzuriteAsync(this IHostApplicationBuilder builder)
    {
        var setting = builder.Configuration[StorageAccount.Setting];
        if (!string.Equals(setting?.Trim().TrimEnd(';'), "UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase))
            return builder;

        var azurite = await AzuriteLauncher.FindRunningAsync(10000, 10001, 10002, CancellationToken.None)
            ?? await AzuriteLauncher.StartAsync(AzuriteOptions.DefaultPorts(Path.Combine(RepositoryRoot.Find(), ".azurite", "data")), CancellationToken.None);
        builder.Configuration[StorageAccount.Setting] = azurite.ConnectionString();
        builder.Services.AddSingleton(azurite);
        builder.Services.AddHostedService(_ => new StopOnShutdown(azurite));
        return builder;
    }

    /// <summary>Stops the Azurite this host started (a borrowed one has nothing to stop) when the host stops.</summary>
    private sealed class StopOnShutdown(AzuriteInstance azurite) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => azurite.DisposeAsync().AsTask();
    }
}
