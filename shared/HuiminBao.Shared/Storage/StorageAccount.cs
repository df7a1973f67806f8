using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;

namespace HuiminBao.Storage;

/// <summary>
/// The storage account behind <c>AzureWebJobsStorage</c>, read the way the Functions host reads it:
/// a connection string locally, or identity-based <c>AzureWebJobsStorage__*ServiceUri</c> settings
/// (with <c>__credential=managedidentity</c> and <c>__clientId</c>) in Azure, where shared keys are off.
/// </summary>
public sealed class StorageAccount
{
    public StorageAccount(IConfiguration configuration, StorageCallCounter counter)
        : this(configuration, counter, [])
    {
    }

    public const string Setting = "AzureWebJobsStorage";

    public StorageAccount(IConfiguration configuration, StorageCallCounter counter, IEnumerable<StoragePipelinePolicy> policies)
    {
        var section = configuration.GetSection(Setting);
        var extra = policies.ToList();
        var lanes = configuration.GetSection(StorageLanesOptions.Section).Get<StorageLanesOptions>() ?? new StorageLanesOptions();
        (TableLanes, QueueLanes, BlobLanes) = (new StorageLanes(lanes), new StorageLanes(lanes), new StorageLanes(lanes));
        var tableOptions = Configure(new TableClientOptions(), counter.PolicyFor("table"), TableLanes, extra);
        var queueOptions = Configure(new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }, counter.PolicyFor("queue"), QueueLanes, extra);
        var blobOptions = Configure(new BlobClientOptions(), counter.PolicyFor("blob"), BlobLanes, extra);

        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            var connection = section.Value;
            Tables = new TableServiceClient(connection, tableOptions);
            Queues = new QueueServiceClient(connection, queueOptions);
            Blobs = new BlobServiceClient(connection, blobOptions);
            return;
        }

        var credential = Credential(section);
        var accountName = section["accountName"];
        Tables = new TableServiceClient(ServiceUri(section, "tableServiceUri", accountName, "table"), credential, tableOptions);
        Queues = new QueueServiceClient(ServiceUri(section, "queueServiceUri", accountName, "queue"), credential, queueOptions);
        Blobs = new BlobServiceClient(ServiceUri(section, "blobServiceUri", accountName, "blob"), credential, blobOptions);
    }

    public TableServiceClient Tables { get; }

    public QueueServiceClient Queues { get; }

    public BlobServiceClient Blobs { get; }

    /// <summary>Each service's calls in flight, intake's first (<see cref="StorageLanes"/>): the services are separate, so are their lanes.</summary>
    public StorageLanes TableLanes { get; }

    public StorageLanes QueueLanes { get; }

    public StorageLanes BlobLanes { get; }

    public TableClient Table(string name) => Tables.GetTableClient(name);

    public QueueClient Queue(string name) => Queues.GetQueueClient(name);

    private static T Configure<T>(T options, HttpPipelinePolicy counter, StorageLanes lanes, List<StoragePipelinePolicy> extra) where T : ClientOptions
    {
        foreach (var policy in extra)
            options.AddPolicy(policy.Policy, policy.Position);
        // A sign-up request should fail fast and be retried by its caller rather than hang for the SDK's 100 s default.
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        options.Retry.MaxRetries = 3;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        options.AddPolicy(counter, HttpPipelinePosition.PerRetry);
        options.AddPolicy(lanes.Policy, HttpPipelinePosition.PerRetry);
        options.AddPolicy(new UnreachableStoragePolicy(), HttpPipelinePosition.PerCall);
        return options;
    }

    private static TokenCredential Credential(IConfigurationSection section)
    {
        var clientId = section["clientId"];
        return string.Equals(section["credential"], "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(string.IsNullOrEmpty(clientId) ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });
    }

    private static Uri ServiceUri(IConfigurationSection section, string key, string? accountName, string service)
    {
        if (section[key] is { Length: > 0 } uri)
            return new Uri(uri);
        if (!string.IsNullOrEmpty(accountName))
            return new Uri($"https://{accountName}.{service}.core.windows.net");
        throw new InvalidOperationException($"Storage is not configured: set {Setting} to a connection string, or {Setting}__{key} (or __accountName) with an identity.");
    }
}

/// <summary>
/// An extra Azure.Core pipeline policy for every storage client (telemetry, or, in tests, a fault
/// injected after a write reached storage to stand in for a process dying mid-handler).
/// </summary>
public sealed record StoragePipelinePolicy(HttpPipelinePolicy Policy, HttpPipelinePosition Position = HttpPipelinePosition.PerCall);
