using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using HuiminBao.Enrollment;
using HuiminBao.LaunchDay.Audit;
using HuiminBao.Notifications;
using HuiminBao.Queues;
using HuiminBao.Reviews;
using HuiminBao.Security;
using HuiminBao.SignUps;
using HuiminBao.Storage;
using HuiminBao.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace HuiminBao.Tests.Privacy;

/// <summary><c>DELETE /api/ops/signups/{id}</c>: what is gone afterwards, what stays, and what the owner is told.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ErasureTests(AzuriteFixture azurite)
{
    private const int PlanYear = PipelineHost.PlanYear;

    [Fact]
    public async Task Erasure_leaves_nothing_of_the_household_readable_anywhere_keeps_the_tallies_and_tells_the_owner_410()
    {
        var insurance = new InMemoryInsurance();
        await using var host = await PipelineHost.StartAsync(azurite, insurance: insurance);
        var (applicant, spouse, child) = (People.Next(), People.Next("410503"), People.Next("410505", birthYear: 2016));
        var (kept, poisoned) = (People.Next("410581"), People.Next());
        foreach (var person in new[] { applicant, spouse, child, kept })
            insurance.Add(host.Identity(person));
        insurance.MakeUnavailable(host.PersonKey(poisoned));

        var ownerToken = await host.LoginAsync("o-erase-owner");
        var erasedBody = People.SignUpJson(PlanYear, applicant, (applicant, "self"), (spouse, "spouse"), (child, "child"));
        var erased = await host.SubmitAcceptedAsync(ownerToken, erasedBody);
        var keptToken = await host.LoginAsync("o-erase-kept");
        var keptId = await host.SubmitAcceptedAsync(keptToken, People.SelfSignUp(PlanYear, kept));
        var poisonToken = await host.LoginAsync("o-erase-poisoned");
        var poisonedId = await host.SubmitAcceptedAsync(poisonToken, People.SelfSignUp(PlanYear, poisoned));
        foreach (var (token, id) in new[] { (ownerToken, erased), (keptToken, keptId) })
        {
            await host.DecidedAsync(token, id, TimeSpan.FromSeconds(60));
            await Eventually.TrueAsync(async () => (await host.SignUpStatusAsync(token, id)).GetProperty("notification").GetString() == "sent", because: $"notification of {id} sent");
        }
        Assert.Equal("needs-review", (await host.DecidedAsync(poisonToken, poisonedId, TimeSpan.FromSeconds(60))).GetProperty("status").GetString());
        Assert.NotNull(await Review(host, poisonedId));
        var talliesBefore = await TalliesAsync(host);
        Assert.Equal(4, JsonNode.Parse(talliesBefore)!["cumulative"]!.GetValue<long>());

        foreach (var id in new[] { erased, erased, poisonedId })
        {
            using var deleted = await host.OpsAsync(HttpMethod.Delete, $"/api/ops/signups/{id}");
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        // The owner is told why; anyone else still can't tell the id from a missing one.
        using var owner = await host.GetSignUpAsync(ownerToken, erased);
        Assert.Equal(HttpStatusCode.Gone, owner.StatusCode);
        var problem = await owner.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("erased", problem.GetProperty("code").GetString());
        Assert.Contains("删除", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var stranger = await host.GetSignUpAsync(keptToken, erased);
        Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);
        // The same household posted again by its owner lands on the erased id, and hears the same.
        using var again = await host.SubmitAsync(ownerToken, erasedBody);
        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);

        Assert.Equal(talliesBefore, await TalliesAsync(host));
        Assert.Null(await Review(host, poisonedId));
        Assert.Equal("sent", (await host.SignUpStatusAsync(keptToken, keptId)).GetProperty("notification").GetString());

        // Nothing of the erased people anywhere in the account, in plaintext or behind the data key.
        var gone = new[] { applicant, spouse, child, poisoned }.SelectMany(p => new[] { p.Name, p.IdNumber, p.Mobile }).ToList();
        var plaintext = await PlaintextScan.FindAsync(host.Storage.ConnectionString, [], [.. gone, "o-erase-owner", "o-erase-poisoned"], everyMessage: true);
        Assert.True(plaintext.Count == 0, string.Join('\n', plaintext));
        var (opened, unopened) = await SealedValueScan.OpenAllAsync(host.Storage.ConnectionString, host.Services.GetRequiredService<PersonalDataCipher>());
        Assert.Empty(unopened);
        Assert.DoesNotContain(opened, o => gone.Any(secret => o.Plaintext.Contains(secret, StringComparison.Ordinal)));
        Assert.DoesNotContain(opened, o => o.Where.Contains(erased, StringComparison.Ordinal) || o.Where.Contains(poisonedId, StringComparison.Ordinal));
        // Positive control: the same scan reads the household that was not erased.
        Assert.Contains(opened, o => o.Where.Contains(keptId, StringComparison.Ordinal) && o.Plaintext.Contains(kept.IdNumber, StringComparison.Ordinal));
        Assert.All(host.Logs.Lines, line => Assert.DoesNotContain(applicant.IdNumber, line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Handlers_meeting_messages_of_an_erased_signup_drop_them_without_enrolling_notifying_or_restoring_anything()
    {
        var insurance = new InMemoryInsurance();
        await using var host = await PipelineHost.StartAsync(azurite, PipelineHost.WithoutListeners, insurance: insurance);
        var person = People.Next();
        insurance.Add(host.Identity(person));
        var token = await host.LoginAsync("o-erased-in-flight");
        var signUpId = await host.SubmitAcceptedAsync(token, People.SelfSignUp(PlanYear, person));
        var queued = (await host.Storage.Queue(QueueNames.SignUps).ReceiveMessagesAsync(1)).Value.Single();
        var batch = queued.Body.ToObjectFromJson(SignUpJson.Default.SignUpBatch)!;
        var notification = NotificationBatch.Of(new NotificationQueued(signUpId, "o-erased-in-flight", PlanYear, "enrolled", [new NotifiedPerson("张*", "self", "enrolled", null)]));

        using (var deleted = await host.OpsAsync(HttpMethod.Delete, $"/api/ops/signups/{signUpId}"))
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var erasedRow = await Record(host, signUpId);

        // Each stage in turn meets a message that was on its way when the sign-up was erased; none throws.
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var delivery = new QueueDelivery(queued.MessageId, 1, queued.InsertedOn);
            await scope.ServiceProvider.GetRequiredService<SignUpValidation>().HandleAsync(batch, delivery, CancellationToken.None);
            await scope.ServiceProvider.GetRequiredService<SignUpPoisonReview>().HandleAsync(batch, delivery, CancellationToken.None);
            await scope.ServiceProvider.GetRequiredService<NotificationDispatch>().HandleAsync(notification, new QueueDelivery("n-1", 1, null), CancellationToken.None);
            await scope.ServiceProvider.GetRequiredService<NotificationPoisonReview>().HandleAsync(notification, new QueueDelivery("n-1", 5, null), CancellationToken.None);
        }

        var after = await Record(host, signUpId);
        Assert.Equal("erased", after.GetString("Status"));
        Assert.Equal("", after.GetString("Sealed"));
        Assert.Equal("[]", after.GetString("Persons"));
        Assert.Equal(erasedRow.ETag, after.ETag);
        Assert.Equal("erased", (await host.Storage.Table(TableNames.SignUps).GetEntityAsync<TableEntity>(SignUpKeys.Partition(signUpId), SignUpKeys.NotificationRow(signUpId))).Value.GetString("State"));
        Assert.Empty(await Rows(host, TableNames.Enrollments));
        Assert.Empty(await Rows(host, TableNames.Reviews));
        Assert.Empty((await host.Storage.Queue(QueueNames.Notifications).PeekMessagesAsync(32)).Value);
        Assert.Equal(0, host.WeChat.SendRequests);
        using var status = await host.GetSignUpAsync(token, signUpId);
        Assert.Equal(HttpStatusCode.Gone, status.StatusCode);
    }

    [Fact]
    public async Task Erasing_an_unknown_or_malformed_id_is_404_and_needs_the_ops_key()
    {
        await using var host = await PipelineHost.StartAsync(azurite, PipelineHost.WithoutListeners, insurance: new InMemoryInsurance());

        using var unknown = await host.OpsAsync(HttpMethod.Delete, "/api/ops/signups/abcdefghijklmnopqrstuvwx");
        using var malformed = await host.OpsAsync(HttpMethod.Delete, "/api/ops/signups/NOT-AN-ID");
        using var anonymous = await host.Client.DeleteAsync("/api/ops/signups/abcdefghijklmnopqrstuvwx");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    /// <summary>The tally report without its <c>asOf</c> (the time it was read), so two reads of the same counts are equal.</summary>
    private static async Task<string> TalliesAsync(PipelineHost host)
    {
        using var response = await host.OpsAsync(HttpMethod.Get, "/api/tallies");
        response.EnsureSuccessStatusCode();
        var report = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        report.Remove("asOf");
        return report.ToJsonString();
    }

    private static async Task<TableEntity> Record(PipelineHost host, string signUpId) =>
        (await host.Storage.Table(TableNames.SignUps).GetEntityAsync<TableEntity>(SignUpKeys.Partition(signUpId), SignUpKeys.RecordRow(signUpId))).Value;

    private static async Task<List<TableEntity>> Rows(PipelineHost host, string table)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in host.Storage.Table(table).QueryAsync<TableEntity>())
            rows.Add(row);
        return rows;
    }

    private static async Task<TableEntity?> Review(PipelineHost host, string signUpId)
    {
        var found = await host.Storage.Table(TableNames.Reviews).GetEntityIfExistsAsync<TableEntity>("signups", signUpId);
        return found.HasValue ? found.Value : null;
    }
}
