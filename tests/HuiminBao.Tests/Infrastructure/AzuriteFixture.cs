using System.Security.Cryptography;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using HuiminBao.DevHost.Azurite;

namespace HuiminBao.Tests.Infrastructure;

/// <summary>
/// One in-memory Azurite for the whole test run, on its own free ports so it never meets a
/// developer's Azurite. Each test gets a storage account of its own, so tests share the process
/// but never each other's queues and tables.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private const int AccountCount = 400;
    private readonly Dictionary<string, string> _accounts = Enumerable.Range(1, AccountCount)
        .ToDictionary(i => $"test{i:000}", _ => Convert.ToBase64String(RandomNumberGenerator.GetBytes(64)));
    private int _nextAccount;

    public AzuriteInstance Azurite { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Azurite = await AzuriteLauncher.StartAsync(new AzuriteOptions { Accounts = _accounts }, CancellationToken.None);

    public async Task DisposeAsync() => await Azurite.DisposeAsync();

    /// <summary>A connection string to a storage account no other test uses.</summary>
    public string NewAccount()
    {
        var index = Interlocked.Increment(ref _nextAccount);
        if (index > AccountCount)
            throw new InvalidOperationException($"More than {AccountCount} storage accounts requested; raise AccountCount.");
        var name = $"test{index:000}";
        return Azurite.ConnectionString(name, _accounts[name]);
    }
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "azurite";
}

/// <summary>Direct clients onto a test's account, for arranging and asserting.</summary>
public sealed class StorageProbe(string connectionString)
{
    public string ConnectionString { get; } = connectionString;

    public TableClient Table(string name) => new TableServiceClient(ConnectionString).GetTableClient(name);

    public QueueClient Queue(string name) => new(ConnectionString, name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    public QueueClient RawQueue(string name) => new(ConnectionString, name);
}
