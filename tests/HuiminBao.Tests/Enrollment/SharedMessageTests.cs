using HuiminBao.Enrollment;
using HuiminBao.Enrollment.Eligibility;
using HuiminBao.Queues;
using HuiminBao.Reviews;
using HuiminBao.SignUps;
using HuiminBao.Storage;
using HuiminBao.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace HuiminBao.Tests.Enrollment;

/// <summary>Sign-ups accepted together share one <c>signups</c> message; each must still end as if it had travelled alone.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class SharedMessageTests(AzuriteFixture azurite)
{
    private const int PlanYear = PipelineHost.PlanYear;

    [Fact]
    public async Task Sign_ups_submitted_together_are_each_queued_and_decided_once()
    {
        var insurance = new InMemoryInsurance();
        await using var host = await PipelineHost.StartAsync(azurite, PipelineHost.WithoutListeners, insurance: insurance);
        var submitted = await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
        {
            var person = People.Next();
            insurance.Add(host.Identity(person));
            var token = await host.LoginAsync($"o-together-{i}");
            return (token, id: await host.SubmitAcceptedAsync(token, People.SelfSignUp(PlanYear, person)));
        }));

        var batches = await DrainAsync(host);
        var queuedIds = batches.SelectMany(b => b.SignUps).Select(s => s.SignUpId).ToList();
        Assert.Equal(submitted.Select(s => s.id).Order(), queuedIds.Order());
        Assert.All(batches, b => Assert.InRange(b.SignUps.Count, 1, QueueGroupSend<SignUpQueued>.MaxItems));

        foreach (var batch in batches)
            await ValidateAsync(host, batch);
        foreach (var (token, id) in submitted)
            Assert.Equal("enrolled", (await host.SignUpStatusAsync(token, id)).GetProperty("status").GetString());
        Assert.Equal(40, (await ValidationPipelineTests.CountersAsync(host.Storage)).Sum(c => c.GetInt64(TallyColumns.Enrolled) ?? 0));
    }

    [Fact]
    public async Task A_sign_up_that_keeps_failing_neither_holds_back_nor_poisons_its_companions()
    {
        var insurance = new InMemoryInsurance();
        await using var host = await PipelineHost.StartAsync(azurite, PipelineHost.WithoutListeners, insurance: insurance);
        var people = Enumerable.Range(0, 3).Select(_ => People.Next()).ToList();
        var submitted = new List<(string Token, string Id)>();
        for (var i = 0; i < people.Count; i++)
        {
            insurance.Add(host.Identity(people[i]));
            var token = await host.LoginAsync($"o-companion-{i}");
            submitted.Add((token, await host.SubmitAcceptedAsync(token, People.SelfSignUp(PlanYear, people[i]))));
        }
        var shared = new SignUpBatch([.. (await DrainAsync(host)).SelectMany(b => b.SignUps)]);
        Assert.Equal(3, shared.SignUps.Count);
        insurance.MakeUnavailable(host.PersonKey(people[1]));

        // Every delivery the queue would make: the message fails each time, the companions are decided once.
        for (var delivery = 1; delivery <= 5; delivery++)
            await Assert.ThrowsAsync<InsuranceLookupUnavailableException>(() => ValidateAsync(host, shared, delivery));
        await using (var scope = host.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<SignUpPoisonReview>().HandleAsync(shared, new QueueDelivery("poisoned", 1, null), CancellationToken.None);

        var statuses = new List<string>();
        foreach (var (token, id) in submitted)
            statuses.Add((await host.SignUpStatusAsync(token, id)).GetProperty("status").GetString()!);
        Assert.Equal(["enrolled", "needs-review", "enrolled"], statuses);
        Assert.Equal(2, (await ValidationPipelineTests.CountersAsync(host.Storage)).Sum(c => c.GetInt64(TallyColumns.Enrolled) ?? 0));
        var reviews = new List<ReviewRow>();
        await foreach (var review in host.Storage.Table(TableNames.Reviews).QueryAsync<ReviewRow>())
            reviews.Add(review);
        Assert.Equal(submitted[1].Id, Assert.Single(reviews).SignUpId);
    }

    private static async Task ValidateAsync(PipelineHost host, SignUpBatch batch, long dequeueCount = 1)
    {
        await using var scope = host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SignUpValidation>().HandleAsync(batch, new QueueDelivery("shared", dequeueCount, null), CancellationToken.None);
    }

    private static async Task<List<SignUpBatch>> DrainAsync(PipelineHost host)
    {
        var queue = host.Storage.Queue(QueueNames.SignUps);
        var batches = new List<SignUpBatch>();
        while (true)
        {
            var messages = (await queue.ReceiveMessagesAsync(32)).Value;
            if (messages.Length == 0)
                return batches;
            foreach (var message in messages)
            {
                batches.Add(message.Body.ToObjectFromJson(SignUpJson.Default.SignUpBatch)!);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }
    }
}
