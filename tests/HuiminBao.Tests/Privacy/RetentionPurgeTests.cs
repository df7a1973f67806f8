using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using HuiminBao.Privacy;
using HuiminBao.Security;
using HuiminBao.SignUps;
using HuiminBao.Storage;
using HuiminBao.Tests.Infrastructure;
using HuiminBao.Timers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace HuiminBao.Tests.Privacy;

/// <summary>The retention timer: personal data goes <c>Retention:PurgeAfter</c> after the plan year's window closes; counts stay.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RetentionPurgeTests(AzuriteFixture azurite)
{
    private const int PlanYear = PipelineHost.PlanYear;
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset Closes = new(2026, 4, 1, 0, 0, 0, Beijing);

    [Fact]
    public async Task Personal_data_is_purged_once_the_retention_period_after_the_window_closed_has_passed_and_the_tallies_stay()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 6, 10, 0, 0, Beijing));
        var insurance = new InMemoryInsurance();
        await using var host = await StartAsync(clock, insurance, batchSize: 2);
        var (applicant, spouse, single, poisoned) = (People.Next(), People.Next("410503"), People.Next("410581"), People.Next());
        foreach (var person in new[] { applicant, spouse, single })
            insurance.Add(host.Identity(person));
        insurance.MakeUnavailable(host.PersonKey(poisoned));
        var ids = new List<string>();
        foreach (var (openId, body) in new[]
        {
            ("o-retention-1", People.SignUpJson(PlanYear, applicant, (applicant, "self"), (spouse, "spouse"))),
            ("o-retention-2", People.SelfSignUp(PlanYear, single)),
            ("o-retention-3", People.SelfSignUp(PlanYear, poisoned)),
        })
        {
            var token = await host.LoginAsync(openId);
            var id = await host.SubmitAcceptedAsync(token, body);
            await host.DecidedAsync(token, id, TimeSpan.FromSeconds(60));
            ids.Add(id);
        }
        Assert.Single(await Rows(host, TableNames.Reviews));

        // Still open, then closed but within the retention period: nothing goes.
        await PurgeAsync(host);
        clock.SetUtcNow(Closes + TimeSpan.FromDays(90) - TimeSpan.FromMinutes(1));
        await PurgeAsync(host);
        Assert.Equal(3, (await SealedRecords(host)).Count);

        clock.SetUtcNow(Closes + TimeSpan.FromDays(90));
        var talliesBefore = await TalliesAsync(host);
        await PurgeAsync(host);

        Assert.Empty(await SealedRecords(host));
        Assert.Empty(await Rows(host, TableNames.Reviews));
        Assert.Equal(talliesBefore, await TalliesAsync(host));
        Assert.Equal(3, JsonNode.Parse(talliesBefore)!["cumulative"]!.GetValue<long>());
        var records = (await Rows(host, TableNames.SignUps)).Where(r => !SignUpKeys.IsNotificationRow(r.RowKey)).ToList();
        Assert.All(records, r => Assert.Equal(("erased", "retention"), (r.GetString("Status"), r.GetString("Erasure"))));
        var (opened, unopened) = await SealedValueScan.OpenAllAsync(host.Storage.ConnectionString, host.Services.GetRequiredService<PersonalDataCipher>());
        Assert.Empty(unopened);
        Assert.DoesNotContain(opened, o => ids.Any(id => o.Where.Contains(id, StringComparison.Ordinal)));
        // The window's close is kept, so the year still counts from it once ops move on to the next one.
        var window = (await host.Storage.Table(TableNames.OpsState).GetEntityAsync<RetentionWindowRow>(RetentionWindowRow.Partition, "2026")).Value;
        Assert.Equal(Closes, window.ClosesAt);

        var owner = await host.LoginAsync("o-retention-1");
        using var status = await host.GetSignUpAsync(owner, ids[0]);
        Assert.Equal(HttpStatusCode.Gone, status.StatusCode);

        // A second firing finds nothing left to write.
        var etags = records.ToDictionary(r => r.RowKey, r => r.ETag);
        await PurgeAsync(host);
        Assert.All(await Rows(host, TableNames.SignUps), r => Assert.True(!etags.TryGetValue(r.RowKey, out var etag) || etag == r.ETag, $"{r.RowKey} written again"));
    }

    [Fact]
    public async Task A_run_cut_off_by_its_time_budget_leaves_the_rest_to_the_next_run()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 6, 10, 0, 0, Beijing));
        var insurance = new InMemoryInsurance();
        await using var host = await StartAsync(clock, insurance, batchSize: 1, runFor: "00:00:01");
        for (var i = 0; i < 3; i++)
        {
            var person = People.Next();
            insurance.Add(host.Identity(person));
            var token = await host.LoginAsync($"o-retention-cut-{i}");
            await host.DecidedAsync(token, await host.SubmitAcceptedAsync(token, People.SelfSignUp(PlanYear, person)), TimeSpan.FromSeconds(60));
        }
        clock.SetUtcNow(Closes + TimeSpan.FromDays(91));
        // Every reading of the clock moves it on a second, so each run's budget runs out after its first batch.
        clock.AutoAdvanceAmount = TimeSpan.FromSeconds(1);

        var remaining = new List<int>();
        for (var run = 0; run < 4; run++)
        {
            await PurgeAsync(host);
            remaining.Add((await SealedRecords(host)).Count);
        }

        Assert.Equal([2, 1, 0, 0], remaining);
    }

    [Fact]
    public async Task Roster_drops_left_unimported_for_a_day_are_deleted_and_younger_ones_kept()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow + TimeSpan.FromHours(1));
        await using var host = await StartAsync(clock, new InMemoryInsurance(), batchSize: 100);
        var drops = new BlobServiceClient(host.Storage.ConnectionString).GetBlobContainerClient(BlobContainers.RosterDrops);
        await drops.UploadBlobAsync("abandoned.csv", BinaryData.FromString("身份证号,姓名\n410502199001011234,张三\n"));

        await PurgeAsync(host);
        Assert.Single(await BlobNames(drops));

        clock.Advance(TimeSpan.FromDays(1));
        await PurgeAsync(host);
        Assert.Empty(await BlobNames(drops));
    }

    [Fact]
    public void Past_years_count_from_their_recorded_close_or_else_from_the_years_end_and_an_open_ended_window_is_never_due()
    {
        var recorded = new Dictionary<int, DateTimeOffset> { [2024] = new(2024, 3, 31, 0, 0, 0, Beijing) };
        var purgeAfter = TimeSpan.FromDays(90);
        var now = new DateTimeOffset(2026, 2, 1, 0, 0, 0, Beijing);

        var openEnded = new PurgeDue(2026, null, recorded, purgeAfter, now);
        Assert.Null(openEnded.PurgeAt(2026));
        Assert.Null(openEnded.PurgeAt(2027));
        Assert.Equal(new DateTimeOffset(2024, 3, 31, 0, 0, 0, Beijing) + purgeAfter, openEnded.PurgeAt(2024));
        // 2025 has no record: counted from 2025's last day, never earlier than its window can have closed.
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, Beijing) + purgeAfter, openEnded.PurgeAt(2025));
        Assert.False(openEnded.IsDue(2025));
        Assert.True(openEnded.IsDue(2024));
        Assert.True(openEnded.IsDue(2019));
        Assert.Equal(2024, openEnded.MaxPlanYear);

        var closed = new PurgeDue(2026, new DateTimeOffset(2025, 10, 1, 0, 0, 0, Beijing), recorded, purgeAfter, now);
        Assert.True(closed.IsDue(2026));
        Assert.Equal(2026, closed.MaxPlanYear);
        Assert.Equal(2024, new PurgeDue(2026, null, new Dictionary<int, DateTimeOffset>(), purgeAfter, now).MaxPlanYear);
    }

    private Task<PipelineHost> StartAsync(FakeTimeProvider clock, InMemoryInsurance insurance, int batchSize, string runFor = "00:08:00") =>
        PipelineHost.StartAsync(
            azurite,
            new Dictionary<string, string?>
            {
                ["DevHost:Timers"] = "false",
                ["Enrollment:ClosesAt"] = Closes.ToString("o", System.Globalization.CultureInfo.InvariantCulture),
                ["Retention:PurgeAfter"] = "90.00:00:00",
                ["Retention:BatchSize"] = batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Retention:RunFor"] = runFor,
            },
            s => s.AddSingleton<TimeProvider>(clock),
            insurance: insurance);

    private static async Task PurgeAsync(PipelineHost host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var now = host.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        await scope.ServiceProvider.GetRequiredService<RetentionPurge>().RunAsync(TimerFiring.At(now, now), CancellationToken.None);
    }

    private static async Task<List<TableEntity>> SealedRecords(PipelineHost host) =>
        [.. (await Rows(host, TableNames.SignUps)).Where(r => r.GetString("Sealed") is { Length: > 0 })];

    private static async Task<List<TableEntity>> Rows(PipelineHost host, string table)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in host.Storage.Table(table).QueryAsync<TableEntity>())
            rows.Add(row);
        return rows;
    }

    private static async Task<List<string>> BlobNames(BlobContainerClient container)
    {
        var names = new List<string>();
        await foreach (var blob in container.GetBlobsAsync())
            names.Add(blob.Name);
        return names;
    }

    /// <summary>The tally report without its <c>asOf</c>, so two reads of the same counts compare equal.</summary>
    private static async Task<string> TalliesAsync(PipelineHost host)
    {
        using var response = await host.OpsAsync(HttpMethod.Get, "/api/tallies");
        response.EnsureSuccessStatusCode();
        var report = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        report.Remove("asOf");
        return report.ToJsonString();
    }
}
