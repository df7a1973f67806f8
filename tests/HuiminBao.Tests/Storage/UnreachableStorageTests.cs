using Azure;
using Azure.Data.Tables;
using HuiminBao.Queues;
using HuiminBao.Storage;
using HuiminBao.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace HuiminBao.Tests.Storage;

/// <summary>
/// Storage that can't be reached (Azurite restarting, a network blip) must fail the way every caller
/// expects storage to fail: as <see cref="RequestFailedException"/>. Azure.Core's retry policy throws
/// an AggregateException instead, which would make intake answer 500 and stop the local host's listeners
/// during the fault run's Azurite restart.
/// </summary>
public sealed class UnreachableStorageTests
{
    private static StorageAccount Unreachable()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [StorageAccount.Setting] = UnreachableStorage.ConnectionString() }).Build();
        return new StorageAccount(configuration, new StorageCallCounter());
    }

    [Fact]
    public async Task A_table_write_that_never_reaches_storage_fails_as_a_storage_failure_after_the_retries()
    {
        var storage = Unreachable();

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => storage.Table(TableNames.SignUps).AddEntityAsync(new TableEntity("p", "r")));

        Assert.Equal(0, failure.Status);
        var attempts = Assert.IsType<AggregateException>(failure.InnerException);
        Assert.Equal(4, attempts.InnerExceptions.Count);
    }

    [Fact]
    public async Task Queue_calls_that_never_reach_storage_fail_as_storage_failures()
    {
        var queue = Unreachable().Queue(QueueNames.SignUps);

        await Assert.ThrowsAsync<RequestFailedException>(() => queue.ReceiveMessagesAsync(16, TimeSpan.FromSeconds(10)));
        await Assert.ThrowsAsync<RequestFailedException>(() => queue.SendMessageAsync("x"));
    }

    [Fact]
    public async Task A_caller_cancelling_while_the_retries_run_gets_a_cancellation()
    {
        var storage = Unreachable();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => storage.Table(TableNames.SignUps).AddEntityAsync(new TableEntity("p", "r"), cancel.Token));
    }
}
