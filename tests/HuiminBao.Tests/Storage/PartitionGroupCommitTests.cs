using Azure;
using Azure.Data.Tables;
using HuiminBao.Storage;
using HuiminBao.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace HuiminBao.Tests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class PartitionGroupCommitTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Concurrent_writes_to_one_partition_share_transactions_and_each_gets_its_own_answer()
    {
        var (storage, counter, table) = await StorageAsync();
        await table.AddEntityAsync(new TableEntity("p", "taken-1"));
        await table.AddEntityAsync(new TableEntity("p", "taken-2"));
        var stale = (await table.AddEntityAsync(new TableEntity("p", "moved") { ["V"] = 1 })).Headers.ETag!.Value;
        await table.UpdateEntityAsync(new TableEntity("p", "moved") { ["V"] = 2 }, ETag.All);
        var writes = new PartitionGroupCommit(table, NullLogger.Instance);
        var before = counter.Total;

        var adds = Enumerable.Range(0, 40).Select(i => Outcome(writes.AddAsync(new TableEntity("p", $"row-{i:00}") { ["N"] = i }, default))).ToList();
        var conflicts = new[] { Outcome(writes.AddAsync(new TableEntity("p", "taken-1"), default)), Outcome(writes.AddAsync(new TableEntity("p", "taken-2"), default)) };
        var staleUpdate = Outcome(writes.UpdateAsync(new TableEntity("p", "moved") { ["V"] = 3 }, stale, TableUpdateMode.Replace, default));
        var merge = Outcome(writes.UpdateAsync(new TableEntity("p", "row-00") { ["M"] = true }, ETag.All, TableUpdateMode.Merge, default));

        Assert.All(await Task.WhenAll(adds), status => Assert.Equal(204, status));
        var conflictStatuses = await Task.WhenAll(conflicts);
        Assert.Equal(new[] { 409, 409 }, conflictStatuses);
        Assert.Equal(412, await staleUpdate);
        Assert.Equal(204, await merge);
        var calls = counter.Total - before;
        Assert.True(calls < 44 / 2, $"{calls} storage calls for 44 writes: they were not grouped");

        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == "p"))
            rows.Add(row);
        Assert.Equal(43, rows.Count);
        Assert.Equal(2, rows.Single(r => r.RowKey == "moved").GetInt32("V"));
        Assert.True(rows.Single(r => r.RowKey == "row-00").GetBoolean("M"));
    }

    [Fact]
    public async Task A_lone_write_goes_out_on_its_own_and_reports_its_new_etag()
    {
        var (_, counter, table) = await StorageAsync();
        var writes = new PartitionGroupCommit(table, NullLogger.Instance);
        var before = counter.Total;

        var added = await writes.AddAsync(new TableEntity("q", "one") { ["V"] = 1 }, default);
        var updated = await writes.UpdateAsync(new TableEntity("q", "one") { ["V"] = 2 }, added.Headers.ETag!.Value, TableUpdateMode.Replace, default);

        Assert.Equal(2, counter.Total - before);
        Assert.Equal(updated.Headers.ETag, (await table.GetEntityAsync<TableEntity>("q", "one")).Value.ETag);
    }

    private static async Task<int> Outcome(Task<Response> write)
    {
        try
        {
            return (await write).Status;
        }
        catch (RequestFailedException e)
        {
            return e.Status;
        }
    }

    private async Task<(StorageAccount Storage, StorageCallCounter Counter, TableClient Table)> StorageAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [StorageAccount.Setting] = azurite.NewAccount() }).Build();
        var counter = new StorageCallCounter();
        var storage = new StorageAccount(configuration, counter);
        var table = storage.Table("groupcommit");
        await table.CreateIfNotExistsAsync();
        return (storage, counter, table);
    }
}
