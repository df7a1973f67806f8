using Azure.Storage.Queues.Models;
using HuiminBao.Domain;
using HuiminBao.Enrollment;
using HuiminBao.Queues;
using HuiminBao.SignUps;
using HuiminBao.Storage;
using HuiminBao.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace HuiminBao.Tests.Enrollment;

/// <summary>
/// A sign-up whose validation died after its enrollment committed is delivered again; if the roster
/// changed in between, the redelivery must still report what the ledger (and the tally) hold.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RosterChangeRedeliveryTests(AzuriteFixture azurite)
{
    private const int PlanYear = PipelineHost.PlanYear;

    public static TheoryData<string> RosterChanges() => ["suspended", "renamed", "removed"];

    [Theory]
    [MemberData(nameof(RosterChanges))]
    public async Task A_redelivery_after_the_roster_changed_keeps_the_enrollment_its_sign_up_already_committed(string change)
    {
        var insurance = new InMemoryInsurance();
        var connection = azurite.NewAccount();
        await using var host = await PipelineHost.StartAsync(azurite, PipelineHost.WithoutListeners, insurance: insurance, connectionString: connection);
        var (applicant, spouse) = (People.Next(), People.Next("410503"));
        insurance.Add(host.Identity(applicant));
        insurance.Add(host.Identity(spouse));
        var token = await host.LoginAsync("o-roster-changed");
        var signUpId = await host.SubmitAcceptedAsync(token, People.SignUpJson(PlanYear, applicant, (applicant, "self"), (spouse, "spouse")));
        var message = (await host.Storage.Queue(QueueNames.SignUps).ReceiveMessagesAsync(1)).Value.Single();

        // The first delivery dies right after the applicant's enrollment committed.
        var crash = CrashAfterWrites.After(0);
        await using (var dying = await PipelineHost.StartAsync(azurite, PipelineHost.WithoutListeners, insurance: insurance, connectionString: connection,
            services: s => s.AddSingleton(new StoragePipelinePolicy(crash))))
        {
            crash.Arm();
            await Assert.ThrowsAsync<SimulatedCrashException>(() => HandleAsync(dying, message, dequeueCount: 1));
        }

        // Before the redelivery the roster changes for both: the spouse, not yet enrolled, is turned away now.
        foreach (var person in new[] { applicant, spouse })
        {
            switch (change)
            {
                case "suspended": insurance.Add(host.Identity(person), status: InsuranceStates.Suspended); break;
                case "renamed": insurance.Add(host.Identity(person with { Name = person.Name + "华" })); break;
                default: insurance.Remove(host.PersonKey(person)); break;
            }
        }
        await HandleAsync(host, message, dequeueCount: 2);

        var persons = await RealNameCheckTests.PersonsAsync(host, signUpId);
        Assert.Equal(PersonOutcome.Enrolled, persons[0].Outcome);
        Assert.NotEqual(PersonOutcome.Enrolled, persons[1].Outcome);
        Assert.Equal(SignUpStatus.PartiallyEnrolled, (await host.SignUpStatusAsync(token, signUpId)).GetProperty("status").GetString());
        Assert.Equal([host.PersonKey(applicant)], await RealNameCheckTests.EnrolledPersonKeysAsync(host));
        var counters = await ValidationPipelineTests.CountersAsync(host.Storage);
        Assert.Equal(1, counters.Sum(c => c.GetInt64(TallyColumns.Enrolled) ?? 0));
    }

    private static async Task HandleAsync(PipelineHost host, QueueMessage message, int dequeueCount)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var queued = message.Body.ToObjectFromJson(SignUpJson.Default.SignUpBatch)!;
        await scope.ServiceProvider.GetRequiredService<SignUpValidation>().HandleAsync(queued, new QueueDelivery(message.MessageId, dequeueCount, message.InsertedOn), CancellationToken.None);
    }
}
