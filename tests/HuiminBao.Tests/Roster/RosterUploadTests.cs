using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using HuiminBao.Queues;
using HuiminBao.Roster;
using HuiminBao.Storage;
using HuiminBao.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace HuiminBao.Tests.Roster;

[Collection(AzuriteCollection.Name)]
public sealed class RosterUploadTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Now = new(2026, 3, 6, 2, 0, 0, TimeSpan.Zero);

    private static async Task<RosterImportView> UploadAsync(RosterTestHost host, byte[] file, string? asOf = null)
    {
        using var scope = host.Services.CreateScope();
        var outcome = await scope.ServiceProvider.GetRequiredService<RosterUpload>().AcceptAsync(new RosterUploadRequest("text/csv", new MemoryStream(file), asOf), default);
        Assert.Null(outcome.Problem);
        return outcome.Value!;
    }

    /// <summary>Receives and handles roster-imports messages, as the host's listener would, until none is left; returns how many.</summary>
    private static HuiminBao.Enrollment.Eligibility.PersonToCheck Check(RosterTestHost host, SyntheticPerson person) =>
        new(host.Hashes.PersonKey(person.IdNumber), host.Hashes.NameKey(person.IdNumber, person.Name));

    private static async Task<int> DrainQueueAsync(RosterTestHost host)
    {
        var queue = host.Storage.Queue(QueueNames.RosterImports);
        var handled = 0;
        while ((await queue.ReceiveMessagesAsync(1)).Value is [var message])
        {
            var body = JsonSerializer.Deserialize(message.Body.ToString(), RosterJson.Default.RosterImportQueued)!;
            using var scope = host.Services.CreateScope();
            await scope.ServiceProvider.GetRequiredService<IQueueHandler<RosterImportQueued>>().HandleAsync(body, QueueDelivery.First(message.MessageId), default);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            handled++;
        }
        return handled;
    }

    [Fact]
    public async Task An_upload_is_stored_sealed_queued_imported_by_the_handler_and_then_deleted_leaving_no_plaintext_anywhere()
    {
        using var host = await RosterTestHost.StartAsync(azurite);
        var people = new SyntheticRoster(21).People(2_000).ToList();
        var file = RosterFiles.Of(people, new RosterCsvFormat { Gbk = true });

        var accepted = await UploadAsync(host, file, asOf: "2026-02-28");

        Assert.Equal(RosterImportStates.Queued, accepted.State);
        Assert.Equal(RosterEncoding.Gb18030, accepted.Encoding);
        Assert.Equal($"/api/ops/roster-imports/{accepted.ImportId}", accepted.Location);
        var blobs = await host.Uploads.GetBlobsAsync().ToListAsync();
        var sealedBlob = (await host.Uploads.GetBlobClient(Assert.Single(blobs).Name).DownloadContentAsync()).Value.Content.ToArray();
        AssertNoPersonalData(people, sealedBlob);
        var raw = Assert.Single((await host.Storage.RawQueue(QueueNames.RosterImports).PeekMessagesAsync(5)).Value);
        Assert.Equal($$"""{"importId":"{{accepted.ImportId}}"}""", Encoding.UTF8.GetString(Convert.FromBase64String(raw.Body.ToString())));

        Assert.Equal(1, await DrainQueueAsync(host));

        var record = (await host.Records.GetAsync(accepted.ImportId, default))!;
        Assert.Equal((RosterImportStates.Completed, 2_000L, 0L), (record.State, record.RowsImported, record.RowsBad));
        Assert.Empty(await host.Uploads.GetBlobsAsync().ToListAsync());
        Assert.True((await host.Lookup.LookupAsync(Check(host, people.First(p => p.IsActive)), default)).IsActive);
        Assert.All(await host.RosterEntitiesAsync(), e => Assert.Equal("2026-02-28", e.GetString(RosterTable.AsOf)));
        foreach (var table in TableNames.All)
        {
            await foreach (var entity in host.Storage.Table(table).QueryAsync<TableEntity>())
                AssertNoPersonalData(people, Encoding.UTF8.GetBytes(string.Join('|', entity.Select(p => p.Value))));
        }
    }

    [Fact]
    public async Task Uploading_the_same_file_again_is_the_same_import_and_imports_nothing_twice()
    {
        using var host = await RosterTestHost.StartAsync(azurite);
        var file = RosterFiles.Of(new SyntheticRoster(22).People(300), new RosterCsvFormat());
        var first = await UploadAsync(host, file);
        await DrainQueueAsync(host);

        var again = await UploadAsync(host, file);

        Assert.Equal(first.ImportId, again.ImportId);
        Assert.True(again.Duplicate);
        Assert.Equal(RosterImportStates.Completed, again.State);
        Assert.Equal(0, await DrainQueueAsync(host));
        Assert.Empty(await host.Uploads.GetBlobsAsync().ToListAsync());
    }

    [Fact]
    public async Task A_delivery_that_runs_out_of_its_slice_hands_over_to_a_fresh_message_and_the_import_completes()
    {
        var clock = new FakeTimeProvider(Now) { AutoAdvanceAmount = TimeSpan.FromSeconds(1) };
        using var host = await RosterTestHost.StartAsync(azurite,
            new Dictionary<string, string?> { ["RosterImport:SliceDuration"] = "00:00:05", ["RosterImport:CheckpointRows"] = "1000" },
            services => services.AddSingleton<TimeProvider>(clock));
        var file = RosterFiles.Of(new SyntheticRoster(23).People(3_000), new RosterCsvFormat { Gbk = true });
        var accepted = await UploadAsync(host, file);

        var deliveries = await DrainQueueAsync(host);

        var record = (await host.Records.GetAsync(accepted.ImportId, default))!;
        Assert.True(deliveries >= 2, $"{deliveries} deliveries");
        Assert.Equal(deliveries, record.Runs);
        Assert.Equal((RosterImportStates.Completed, 3_000L), (record.State, record.RowsImported));
        Assert.Equal(3_000, await host.RosterCountAsync());
    }

    [Fact]
    public async Task A_delivery_that_finds_another_runner_at_work_comes_back_when_its_claim_would_lapse()
    {
        using var host = await RosterTestHost.StartAsync(azurite);
        var accepted = await UploadAsync(host, RosterFiles.Of(new SyntheticRoster(24).People(10), new RosterCsvFormat()));
        var queue = host.Storage.Queue(QueueNames.RosterImports);
        var message = Assert.Single((await queue.ReceiveMessagesAsync(1)).Value);
        var record = (await host.Records.GetAsync(accepted.ImportId, default))!;
        await host.Records.TryClaimAsync(record, TimeSpan.FromMinutes(1), default);

        using (var scope = host.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<RosterImportHandler>().HandleAsync(new RosterImportQueued(accepted.ImportId), QueueDelivery.First(message.MessageId), default);
        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);

        Assert.Empty((await queue.PeekMessagesAsync(5)).Value);
        Assert.Equal(1, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        Assert.Equal(0, await host.RosterCountAsync());
    }

    [Theory]
    [InlineData("身份证号,姓名,险种,行政区划\r\n", RosterProblems.HeaderInvalidCode, 400)]
    [InlineData("", RosterProblems.FileEmptyCode, 400)]
    public async Task A_file_refused_at_upload_leaves_nothing_behind(string csv, string code, int status)
    {
        using var host = await RosterTestHost.StartAsync(azurite);
        using var scope = host.Services.CreateScope();

        var outcome = await scope.ServiceProvider.GetRequiredService<RosterUpload>().AcceptAsync(new RosterUploadRequest("text/csv", new MemoryStream(RosterFiles.Gbk(csv)), null), default);

        Assert.Equal((status, code), (outcome.Problem!.Status, outcome.Problem.Code));
        Assert.Empty(await host.Uploads.GetBlobsAsync().ToListAsync());
        Assert.Empty(await host.Records.RecentAsync(10, default));
        Assert.Empty((await host.Storage.Queue(QueueNames.RosterImports).PeekMessagesAsync(5)).Value);
    }

    private static void AssertNoPersonalData(IEnumerable<SyntheticPerson> people, byte[] stored)
    {
        var gbk = RosterEncoding.For(RosterEncoding.Gb18030);
        foreach (var person in people.Take(200))
        {
            Assert.Equal(-1, stored.AsSpan().IndexOf(Encoding.ASCII.GetBytes(person.IdNumber[..14])));
            if (person.Name.Length >= 3)
            {
                Assert.Equal(-1, stored.AsSpan().IndexOf(Encoding.UTF8.GetBytes(person.Name)));
                Assert.Equal(-1, stored.AsSpan().IndexOf(gbk.GetBytes(person.Name)));
            }
        }
    }
}
