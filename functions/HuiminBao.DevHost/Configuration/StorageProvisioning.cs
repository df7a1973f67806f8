using HuiminBao.Storage;

namespace HuiminBao.DevHost.Configuration;

/// <summary>Creates queues and tables before the host serves anything (Bicep does this in Azure).</summary>
public static class StorageProvisioning
{
    public static IHostApplicationBuilder AddStorageProvisioning(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHostedService<ProvisionOnStart>();
        return builder;
    }

    private sealed class ProvisionOnStart(StorageProvisioner provisioner, TimeProvider time) : IHostedService
    {
        private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

        /// <summary>A host restarting while storage is still coming back waits for it rather than failing to start.</summary>
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            var deadline = time.GetUtcNow() + Patience;
            while (true)
            {
                try
                {
                    await provisioner.EnsureCreatedAsync(cancellationToken);
                    return;
                }
                catch (Exception e) when (e is Azure.RequestFailedException or AggregateException or HttpRequestException && time.GetUtcNow() < deadline)
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken);
                }
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
