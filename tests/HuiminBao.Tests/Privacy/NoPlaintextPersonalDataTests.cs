using HuiminBao.LaunchDay.Audit;
using HuiminBao.Tests.Infrastructure;

namespace HuiminBao.Tests.Privacy;

[Collection(AzuriteCollection.Name)]
public sealed class NoPlaintextPersonalDataTests(AzuriteFixture azurite)
{
    private const int PlanYear = PipelineHost.PlanYear;

    [Fact]
    public async Task After_signups_validation_rejections_and_poison_no_table_queue_blob_or_log_holds_a_name_id_or_mobile()
    {
        var insurance = new InMemoryInsurance();
        await using var host = await PipelineHost.StartAsync(azurite, insurance: insurance);
        var people = Enumerable.Range(0, 12).Select(i => People.Next(i % 2 == 0 ? "410502" : "410581")).ToList();
        foreach (var person in people.Take(8))
            insurance.Add(host.Identity(person));
        insurance.MakeUnavailable(host.PersonKey(people[11]));

        var decided = new List<(string Token, string Id)>();
        for (var i = 0; i < 10; i += 2)
        {
            var token = await host.LoginAsync($"o-privacy-{i}");
            decided.Add((token, await host.SubmitAcceptedAsync(token, People.SignUpJson(PlanYear, people[i], (people[i], "self"), (people[i + 1], "child")))));
        }
        var poisonToken = await host.LoginAsync("o-privacy-poison");
        decided.Add((poisonToken, await host.SubmitAcceptedAsync(poisonToken, People.SelfSignUp(PlanYear, people[11]))));
        // Rejected input must not leak either, neither into storage nor into the log of the rejection.
        using var rejected = await host.SubmitAsync(poisonToken, People.SignUpJson(PlanYear, people[10], (people[10], "cousin")));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, rejected.StatusCode);

        foreach (var (token, id) in decided)
        {
            var view = await host.DecidedAsync(token, id, TimeSpan.FromSeconds(60));
            // Let the notification stage finish too, so its rows and log lines are part of the scan.
            if (view.GetProperty("status").GetString() != "needs-review")
                await Eventually.TrueAsync(async () => (await host.SignUpStatusAsync(token, id)).GetProperty("notification").GetString() != "pending", because: $"notification of {id} settled");
        }
        // Every stage consumes its queue, so a canary in a queue nobody reads shows the scan decodes queue messages.
        var canary = host.Storage.Queue("privacy-canary");
        await canary.CreateAsync();
        await canary.SendMessageAsync($$"""{"signUpId":"{{decided[0].Id}}"}""");

        var secrets = people.SelectMany(p => new[] { p.Name, p.IdNumber, p.Mobile }).ToList();
        var hits = await PlaintextScan.FindAsync(host.Storage.ConnectionString, host.Logs.Lines, secrets);

        Assert.True(hits.Count == 0, string.Join('\n', hits.Take(20)));
        // Positive control: the same scan does find what is meant to be there (sign-up ids in tables, queues and logs).
        var control = await PlaintextScan.FindAsync(host.Storage.ConnectionString, host.Logs.Lines, [decided[0].Id]);
        Assert.Contains(control, h => h.StartsWith("table signups", StringComparison.Ordinal));
        Assert.Contains(control, h => h.StartsWith("table signups", StringComparison.Ordinal) && h.Contains("~notification.", StringComparison.Ordinal));
        Assert.Contains(control, h => h.StartsWith("queue privacy-canary (decoded)", StringComparison.Ordinal));
        Assert.Contains(control, h => h == $"log contains '{decided[0].Id}'");
    }
}
