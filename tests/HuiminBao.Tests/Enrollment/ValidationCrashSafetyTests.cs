using System.Text;
using Azure.Data.Tables;
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
/// The validation stage may die between any two of its writes and be delivered again; the end
/// state must equal one clean run. Each case lets k writes through, "crashes" right after the
/// next one reached storage, then redelivers the message to a healthy handler.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ValidationCrashSafetyTests(AzuriteFixture azurite)
{
    private const int PlanYear = PipelineHost.PlanYear;

    // Two enrolled persons (two ledger transactions), one not insured, then the outcome merge and
    // the notification send: four writes, so crashes after write 1, 2, 3 and 4 cover every gap.
    private const int WritesPerRun = 4;

    [Fact]
    public async Task A_crash_after_any_write_then_redelivery_ends_like_one_clean_run()
    {
        var (applicant, spouse, child) = (People.Next(), People.Next("410503"), People.Next("410526"));
        var body = People.SignUpJson(PlanYear, applicant, (applicant, "self"), (spouse, "spouse"), (child, "child"));

        var reference = await RunAsync(body, applicant, spouse, crashAfter: null);
        Assert.Equal("partially-enrolled", reference.SignUp["record.Status"]);

        for (var k = 0; k < WritesPerRun; k++)
        {
            var crashed = await RunAsync(body, applicant, spouse, crashAfter: k);
            Assert.Equal(reference.SignUp, crashed.SignUp);
            Assert.Equal(reference.Enrollments, crashed.Enrollments);
            Assert.Equal(reference.Notifications.Distinct(), crashed.Notifications.Distinct());
            Assert.NotEmpty(crashed.Notifications);
        }
    }

    private async Task<EndState> RunAsync(string body, Person applicant, Person spouse, int? crashAfter)
    {
        var insurance = new InMemoryInsurance();
        var connection = azurite.NewAccount();
        await using var intake = await PipelineHost.StartAsync(azurite, PipelineHost.WithoutListeners, insurance: insurance, connectionString: connection);
        insurance.Add(intake.Identity(applicant), district: "410502");
        insurance.Add(intake.Identity(spouse), district: "410503", scheme: InsuranceSchemes.Employee);
        var token = await intake.LoginAsync("o-crash");
        await intake.SubmitAcceptedAsync(token, body);
        var message = (await intake.Storage.Queue(QueueNames.SignUps).ReceiveMessagesAsync(1)).Value.Single();

        if (crashAfter is { } k)
        {
            var crash = CrashAfterWrites.After(k);
            await using var dying = await PipelineHost.StartAsync(azurite, PipelineHost.WithoutListeners, insurance: insurance, connectionString: connection,
                services: s => s.AddSingleton(new StoragePipelinePolicy(crash)));
            crash.Arm();
            await Assert.ThrowsAsync<SimulatedCrashException>(() => HandleAsync(dying, message, dequeueCount: 1));
            Assert.Equal(k + 1, crash.Writes);
        }
        await HandleAsync(intake, message, dequeueCount: crashAfter is null ? 1 : 2);
        return await EndState.ReadAsync(intake.Storage);
    }

    private static async Task HandleAsync(PipelineHost host, QueueMessage message, int dequeueCount)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var queued = message.Body.ToObjectFromJson(SignUpJson.Default.SignUpBatch)!;
        await scope.ServiceProvider.GetRequiredService<SignUpValidation>().HandleAsync(queued, new QueueDelivery(message.MessageId, dequeueCount, message.InsertedOn), CancellationToken.None);
    }

    /// <summary>What a run leaves behind, minus the instants that differ between any two runs.</summary>
    private sealed record EndState(IReadOnlyDictionary<string, string> SignUp, IReadOnlyList<string> Enrollments, IReadOnlyList<string> Notifications)
    {
        private static readonly HashSet<string> Volatile = ["Timestamp", "odata.etag", "DecidedAt", "AcceptedAt", "ConsentedAt", "EnrolledAt", "EnqueueClaimedAt", "Sealed"];

        public static async Task<EndState> ReadAsync(StorageProbe storage)
        {
            var signUp = new Dictionary<string, string>();
            await foreach (var row in storage.Table(TableNames.SignUps).QueryAsync<TableEntity>())
            {
                var kind = SignUpKeys.IsNotificationRow(row.RowKey) ? "notification" : "record";
                foreach (var (key, value) in row.Where(p => !Volatile.Contains(p.Key)))
                    signUp[$"{kind}.{key}"] = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
            }
            var enrollments = new List<string>();
            await foreach (var row in storage.Table(TableNames.Enrollments).QueryAsync<TableEntity>())
                enrollments.Add(string.Join(';', row.Where(p => !Volatile.Contains(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")));
            var notifications = (await storage.Queue(QueueNames.Notifications).PeekMessagesAsync(32)).Value
                .Select(m => Encoding.UTF8.GetString(m.Body.ToArray())).ToList();
            return new EndState(signUp, enrollments, notifications);
        }
    }
}
