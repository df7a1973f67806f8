using System.Security.Cryptography;
using System.Text.Json;
using Azure.Data.Tables;
using HuiminBao.Domain;
using HuiminBao.Enrollment;
using HuiminBao.Enrollment.Eligibility;
using HuiminBao.Queues;
using HuiminBao.SignUps;
using HuiminBao.Storage;
using HuiminBao.Tests.Enrollment;
using HuiminBao.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace HuiminBao.Tests.Tallies;

[Collection(AzuriteCollection.Name)]
public sealed class ExactTallyTests(AzuriteFixture azurite)
{
    private const int PlanYear = PipelineHost.PlanYear;
    private static readonly string[] Districts = ["410502", "410503", "410505", "410506", "410522", "410523", "410527", "410571", "410581"];
    private static readonly string[] Relations = ["self", "spouse", "child", "parent"];

    [Fact]
    public async Task Two_thousand_enrollments_over_three_days_delivered_twice_with_crashes_are_counted_exactly()
    {
        var insurance = new InMemoryInsurance();
        var connection = azurite.NewAccount();
        await using var healthy = await PipelineHost.StartAsync(azurite, PipelineHost.WithoutListeners, insurance: insurance, connectionString: connection);
        var crashes = CrashAfterWrites.Randomly(0.3, seed: 7);
        await using var dying = await PipelineHost.StartAsync(azurite, PipelineHost.WithoutListeners, insurance: insurance, connectionString: connection,
            services: s => s.AddSingleton(new StoragePipelinePolicy(crashes)));

        var random = new Random(42);
        var day1 = new DateTimeOffset(PlanYear, 3, 4, 0, 0, 0, BeijingTime.Offset);
        var messages = Enumerable.Range(0, 2000).Select(i =>
        {
            var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            var nameKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            var district = Districts[random.Next(Districts.Length)];
            insurance.Add(new PersonIdentity(key, nameKey), district: district, scheme: i % 3 == 0 ? InsuranceSchemes.Employee : InsuranceSchemes.Resident);
            // Spread over three Beijing days, including the minutes either side of midnight.
            var acceptedAt = day1.AddMinutes(random.Next(3 * 24 * 60)).AddSeconds(random.Next(60));
            return new SignUpQueued($"tally{i:00000}", $"o-tally-{i}", PlanYear, acceptedAt, [new QueuedPerson(key, Relations[i % 4], "张*", nameKey)]);
        }).ToList();
        await SeedRecordsAsync(healthy.Storage, messages);
        crashes.Arm();

        await Parallel.ForEachAsync(messages, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (message, _) =>
        {
            // First delivery on a host that may die after any write; the redelivery goes to a healthy one.
            try
            {
                await HandleAsync(dying, message, 1);
            }
            catch (SimulatedCrashException)
            {
            }
            await HandleAsync(healthy, message, 2);
        });

        Assert.True(crashes.Crashes > 100, $"only {crashes.Crashes} crashes were injected");
        var counters = await ValidationPipelineTests.CountersAsync(healthy.Storage);
        var byDay = counters.GroupBy(c => EnrollmentKeys.DayOfCounterRow(c.RowKey)).ToDictionary(g => g.Key, g => g.Sum(c => c.GetInt64(TallyColumns.Enrolled) ?? 0));
        var expectedByDay = messages.GroupBy(m => BeijingTime.DayOf(m.AcceptedAt)).ToDictionary(g => g.Key, g => (long)g.Count());
        Assert.Equal(expectedByDay.OrderBy(p => p.Key), byDay.OrderBy(p => p.Key));
        Assert.Equal(3, byDay.Count);
        foreach (var district in Districts)
        {
            var expected = messages.Count(m => insurance.LookupAsync(new PersonToCheck(m.Persons[0].PersonKey, m.Persons[0].NameKey!), default).Result.District == district);
            Assert.Equal(expected, counters.Sum(c => c.GetInt64(TallyColumns.District(district)) ?? 0));
        }
        Assert.Equal(500, counters.Sum(c => c.GetInt64(TallyColumns.Relation("child")) ?? 0));
        Assert.Equal(2000, counters.Sum(c => c.GetInt64(TallyColumns.Enrolled) ?? 0));

        // And every enrollment row is there once, so a recount from the records agrees with the counters.
        var enrollments = 0;
        await foreach (var row in healthy.Storage.Table(TableNames.Enrollments).QueryAsync<TableEntity>(select: ["RowKey"]))
            enrollments += EnrollmentKeys.IsCounterRow(row.RowKey) ? 0 : 1;
        Assert.Equal(2000, enrollments);
    }

    private static async Task HandleAsync(PipelineHost host, SignUpQueued message, int dequeueCount)
    {
        await using var scope = host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SignUpValidation>().HandleAsync(SignUpBatch.Of(message), new QueueDelivery(message.SignUpId, dequeueCount, null), CancellationToken.None);
    }

    /// <summary>The outcome write updates an existing record, so give each message the record intake would have made.</summary>
    private static async Task SeedRecordsAsync(StorageProbe storage, IEnumerable<SignUpQueued> messages)
    {
        var table = storage.Table(TableNames.SignUps);
        await Parallel.ForEachAsync(messages, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (m, ct) =>
            await table.AddEntityAsync(new SignUpRecord
            {
                PartitionKey = SignUpKeys.Partition(m.SignUpId),
                RowKey = SignUpKeys.RecordRow(m.SignUpId),
                Status = SignUpStatus.Pending,
                PlanYear = m.PlanYear,
                AcceptedAt = m.AcceptedAt,
                Persons = JsonSerializer.Serialize(m.Persons.Select(p => new PersonState(p.PersonKey, p.Relation, PersonOutcome.Pending)).ToList(), SignUpJson.Default.ListPersonState),
            }, ct));
    }
}
