using System.Net;
using Azure.Data.Tables;
using HuiminBao.Security;
using HuiminBao.Storage;
using HuiminBao.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HuiminBao.Tests.Abuse;

/// <summary>The CI-sized abuse run (the full 20,000-request run is in the benchmarks program).</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AbuseRunTests(AzuriteFixture azurite)
{
    private const int PlanYear = PipelineHost.PlanYear;

    [Fact]
    public async Task Two_thousand_hostile_requests_get_no_5xx_store_nothing_read_nobody_elses_and_leak_nothing()
    {
        var settings = PipelineHost.WithoutListeners;
        settings["RateLimits:PerClientPerMinute"] = "1000000";
        settings["RateLimits:PerOpenIdPerMinute"] = "1000000";
        await using var host = await PipelineHost.StartAsync(azurite, settings, insurance: new InMemoryInsurance());

        // Victims with real sign-ups, whose ids the attacker knows.
        var victims = new List<string>();
        var victimPeople = new List<Person>();
        for (var i = 0; i < 5; i++)
        {
            var token = await host.LoginAsync($"o-victim-{i}");
            var person = People.Next();
            victimPeople.Add(person);
            victims.Add(await host.SubmitAcceptedAsync(token, People.SelfSignUp(PlanYear, person)));
        }
        var before = await SnapshotAsync(host.Storage);

        var attacker = await host.LoginAsync("o-attacker");
        var foreign = new SessionTokens(Options.Create(new SecurityOptions { SessionKey = Convert.ToBase64String(new byte[32]) }), TimeProvider.System).Issue("o-victim-0").Token;
        var generator = new HostileRequests(seed: 2026, attacker, foreign, victims, PlanYear);

        var statuses = new System.Collections.Concurrent.ConcurrentBag<(HostileKind Kind, HttpStatusCode Status)>();
        await Parallel.ForEachAsync(generator.Generate(2000).ToList(), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (hostile, ct) =>
        {
            using var request = hostile.Build();
            using var response = await host.Client.SendAsync(request, ct);
            statuses.Add((hostile.Kind, response.StatusCode));
        });

        var serverErrors = statuses.Where(s => (int)s.Status >= 500).ToList();
        Assert.True(serverErrors.Count == 0, string.Join(", ", serverErrors.GroupBy(s => s.Kind).Select(g => $"{g.Key}: {g.Count()}")));
        Assert.DoesNotContain(statuses, s => s.Status is HttpStatusCode.OK or HttpStatusCode.Accepted);
        Assert.All(statuses.Where(s => s.Kind == HostileKind.OtherUsersSignUp), s => Assert.Equal(HttpStatusCode.NotFound, s.Status));
        Assert.All(statuses.Where(s => s.Kind == HostileKind.OpsWithoutKey), s => Assert.Equal(HttpStatusCode.Unauthorized, s.Status));
        Assert.Equal(before, await SnapshotAsync(host.Storage));

        var secrets = generator.PeopleUsed.SelectMany(p => new[] { p.Name, p.IdNumber, p.Mobile })
            .Concat(victimPeople.SelectMany(p => new[] { p.Name, p.IdNumber, p.Mobile })).Distinct().ToList();
        var hits = await PlaintextScan.FindAsync(host.Storage.ConnectionString, host.Logs.Lines, secrets);
        Assert.True(hits.Count == 0, string.Join('\n', hits.Take(20)));
    }

    private static async Task<string> SnapshotAsync(StorageProbe storage)
    {
        var rows = new List<string>();
        var tables = new TableServiceClient(storage.ConnectionString);
        await foreach (var table in tables.QueryAsync())
        {
            await foreach (var entity in tables.GetTableClient(table.Name).QueryAsync<TableEntity>())
                rows.Add($"{table.Name}/{entity.PartitionKey}/{entity.RowKey}/{entity.ETag}");
        }
        var queued = (await storage.Queue(QueueNames.SignUps).PeekMessagesAsync(32)).Value.Length;
        return string.Join('\n', rows.Order()) + $"\nsignups queue: {queued}";
    }
}
