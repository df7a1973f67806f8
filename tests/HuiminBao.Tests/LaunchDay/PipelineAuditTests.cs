using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using HuiminBao.Domain;
using HuiminBao.Enrollment;
using HuiminBao.LaunchDay.Audit;
using HuiminBao.LaunchDay.Fault;
using HuiminBao.LaunchDay.Harness;
using HuiminBao.SignUps;
using HuiminBao.Storage;

namespace HuiminBao.Tests.LaunchDay;

/// <summary>The audit the fault run relies on must be able to fail: each kind of damage it exists to find, it finds.</summary>
[Collection(LaunchDayCollection.Name)]
public sealed class PipelineAuditTests
{
    [Fact]
    public async Task A_clean_run_passes_and_each_kind_of_damage_is_reported()
    {
        await using var stack = await PipelineStack.StartAsync(new StackOptions { UseYibaoService = true });
        var population = FaultRunPopulation.Create(24, stack.PlanYear, seed: 7, stack.Yibao!, misnamedOneIn: 4);
        var submitter = new PersistentSubmitter(stack.Client, TimeSpan.FromSeconds(30));
        var submitted = await Task.WhenAll(population.SignUps.Select(s => submitter.SubmitAsync(s, stack.Token(s.OpenId), CancellationToken.None)));
        var accepted = submitted.Select(s => s.SignUpId!).ToHashSet(StringComparer.Ordinal);
        Assert.True(await PipelineDrain.WaitAsync(() => stack.ConnectionString, TimeSpan.FromSeconds(60)));
        var expectations = new AuditExpectations { Outcomes = population.ExpectedOutcomes };

        var clean = await PipelineAudit.RunAsync(stack, accepted, expectations);
        Assert.True(clean.Passed, clean.ToString());
        Assert.Equal(24, clean.Decided);
        Assert.Contains(population.ExpectedOutcomes.Values, o => o == PersonOutcome.IdentityMismatch);

        var tables = new TableServiceClient(stack.ConnectionString);
        var enrollments = tables.GetTableClient(TableNames.Enrollments);
        var signUps = tables.GetTableClient(TableNames.SignUps);
        var rows = await enrollments.QueryAsync<TableEntity>().ToListAsync();

        // A counter one too high.
        var counter = rows.First(r => EnrollmentKeys.IsCounterRow(r.RowKey));
        counter[TallyColumns.Enrolled] = counter.GetInt64(TallyColumns.Enrolled)!.Value + 1;
        await enrollments.UpdateEntityAsync(counter, counter.ETag);

        // An enrollment row lost.
        var lost = rows.First(r => !EnrollmentKeys.IsCounterRow(r.RowKey));
        await enrollments.DeleteEntityAsync(lost.PartitionKey, lost.RowKey);

        // A sign-up back to pending.
        var pendingId = accepted.First(id => id != lost.GetString(nameof(EnrollmentRow.SignUpId)));
        await signUps.UpdateEntityAsync(new TableEntity(SignUpKeys.Partition(pendingId), SignUpKeys.RecordRow(pendingId)) { [nameof(SignUpRecord.Status)] = SignUpStatus.Pending }, Azure.ETag.All);

        // A second WeChat message for a notified sign-up.
        var notified = stack.WeChat.Accepted.First();
        await SendAgainAsync(stack, notified);

        // A person who should have been enrolled reported as already enrolled by their own sign-up.
        var other = rows.First(r => !EnrollmentKeys.IsCounterRow(r.RowKey) && r.RowKey != lost.RowKey);
        var otherId = other.GetString(nameof(EnrollmentRow.SignUpId))!;
        var record = (await signUps.GetEntityAsync<TableEntity>(SignUpKeys.Partition(otherId), SignUpKeys.RecordRow(otherId))).Value;
        var persons = JsonSerializer.Deserialize(record.GetString(nameof(SignUpRecord.Persons))!, SignUpJson.Default.ListPersonState)!;
        var personKey = other.RowKey[2..];
        persons = [.. persons.Select(p => p.PersonKey == personKey ? p with { Outcome = PersonOutcome.AlreadyEnrolled } : p)];
        await signUps.UpdateEntityAsync(new TableEntity(SignUpKeys.Partition(otherId), SignUpKeys.RecordRow(otherId)) { [nameof(SignUpRecord.Persons)] = JsonSerializer.Serialize(persons, SignUpJson.Default.ListPersonState) }, Azure.ETag.All);

        // A person enrolled by a sign-up that says their name didn't match.
        var third = rows.First(r => !EnrollmentKeys.IsCounterRow(r.RowKey) && r.RowKey != lost.RowKey && r.RowKey != other.RowKey);
        var thirdId = third.GetString(nameof(EnrollmentRow.SignUpId))!;
        var thirdRecord = (await signUps.GetEntityAsync<TableEntity>(SignUpKeys.Partition(thirdId), SignUpKeys.RecordRow(thirdId))).Value;
        var thirdPersons = JsonSerializer.Deserialize(thirdRecord.GetString(nameof(SignUpRecord.Persons))!, SignUpJson.Default.ListPersonState)!;
        thirdPersons = [.. thirdPersons.Select(p => p.PersonKey == third.RowKey[2..] ? p with { Outcome = PersonOutcome.IdentityMismatch, Reason = OutcomeReasons.NameMismatch } : p)];
        await signUps.UpdateEntityAsync(new TableEntity(SignUpKeys.Partition(thirdId), SignUpKeys.RecordRow(thirdId)) { [nameof(SignUpRecord.Persons)] = JsonSerializer.Serialize(thirdPersons, SignUpJson.Default.ListPersonState) }, Azure.ETag.All);

        var damaged = await PipelineAudit.RunAsync(stack, accepted, expectations);

        Assert.False(damaged.Passed);
        var report = damaged.ToString();
        Assert.Contains(damaged.Violations, v => v.StartsWith("tally for ", StringComparison.Ordinal));
        Assert.Contains(damaged.Violations, v => v.Contains("GET /api/tallies says", StringComparison.Ordinal));
        Assert.Contains(damaged.Violations, v => v.Contains("but there is no enrollment row", StringComparison.Ordinal));
        Assert.Contains(damaged.Violations, v => v == $"sign-up {pendingId} is still {SignUpStatus.Pending}");
        Assert.Contains(damaged.Violations, v => v.StartsWith("WeChat accepted 2 messages for sign-up", StringComparison.Ordinal));
        Assert.Contains(damaged.Violations, v => v.Contains("is already enrolled elsewhere, but the enrollment is its own", StringComparison.Ordinal));
        Assert.Contains(damaged.Violations, v => v.Contains($"ended '{PersonOutcome.AlreadyEnrolled}', but should be '{PersonOutcome.Enrolled}'", StringComparison.Ordinal));
        Assert.Contains(damaged.Violations, v => v.Contains($"is '{PersonOutcome.IdentityMismatch}', but holds their enrollment", StringComparison.Ordinal));
        Assert.True(damaged.Violations.Count >= 9, report);
    }

    /// <summary>Posts an accepted message to the stand-in again, as a second send by the pipeline would.</summary>
    private static async Task SendAgainAsync(PipelineStack stack, HuiminBao.StandIns.AcceptedSubscribeMessage message)
    {
        using var client = new HttpClient { BaseAddress = stack.WeChatAddress };
        var body = new
        {
            touser = message.ToUser,
            template_id = message.TemplateId,
            page = message.Page,
            miniprogram_state = message.MiniProgramState,
            lang = message.Lang,
            data = message.Data.ToDictionary(d => d.Key, d => new { value = d.Value }),
        };
        using var response = await client.PostAsJsonAsync($"/cgi-bin/message/subscribe/send?access_token={Uri.EscapeDataString(stack.WeChat.CurrentToken!)}", body);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, answer.GetProperty("errcode").GetInt32());
    }
}
