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

    private sealed class ProvisionOnStart(StorageProvisioner provisioner) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => provisioner.EnsureCreatedAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
