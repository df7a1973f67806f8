using System.Text.Json;
using Azure.Data.Tables;
using HuiminBao.Domain;
using HuiminBao.Enrollment;
using HuiminBao.Queues;
using HuiminBao.Roster;
using HuiminBao.SignUps;
using HuiminBao.Storage;
using HuiminBao.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace HuiminBao.Tests.Enrollment;

/// <summary>A person is enrolled only under the name on their basic-insurance record (二要素), and the answer teaches nobody about strangers.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RealNameCheckTests(AzuriteFixture azurite)
{
    private const int PlanYear = PipelineHost.PlanYear;
    private const string NotVerified = "未查询到与所填姓名、身份证号相符的本市有效基本医疗保险参保记录。请核对姓名和身份证号，如填写无误，请先在本市参加基本医疗保险";

    [Fact]
    public async Task Strangers_id_numbers_under_wrong_names_enroll_nobody_and_the_real_people_enroll_later_under_their_own()
    {
        var insurance = new InMemoryInsurance();
        await using var host = await PipelineHost.StartAsync(azurite, insurance: insurance);
        var (attacker, active, suspended, unknown) = (People.Next(), People.Next("410503"), People.Next("410505"), People.Next("410581"));
        insurance.Add(host.Identity(attacker));
        insurance.Add(host.Identity(active));
        insurance.Add(host.Identity(suspended), status: InsuranceStates.Suspended);
        var token = await host.LoginAsync("o-stranger-collector");

        var body = People.SignUpJson(PlanYear, attacker, (attacker, "self"),
            (active with { Name = "冒" + active.Name }, "spouse"), (suspended with { Name = "冒" + suspended.Name }, "parent"), (unknown with { Name = "冒名" }, "child"));
        var signUpId = await host.SubmitAcceptedAsync(token, body);
        var view = await host.DecidedAsync(token, signUpId);

        Assert.Equal("partially-enrolled", view.GetProperty("status").GetString());
        var insured = view.GetProperty("insured").EnumerateArray().ToList();
        Assert.Equal("enrolled", insured[0].GetProperty("outcome").GetString());
        // Insured, suspended and unknown strangers get one and the same answer: nothing to probe.
        Assert.All(insured.Skip(1), p => Assert.Equal(("identity-mismatch", NotVerified), (p.GetProperty("outcome").GetString(), p.GetProperty("reason").GetString())));

        var stored = await PersonsAsync(host, signUpId);
        Assert.Equal(
            [(PersonOutcome.Enrolled, null), (PersonOutcome.IdentityMismatch, OutcomeReasons.NameMismatch), (PersonOutcome.IdentityMismatch, OutcomeReasons.NameMismatch), (PersonOutcome.NotInsured, OutcomeReasons.NotOnRoster)],
            stored.Select(p => (p.Outcome, p.Reason)));
        Assert.Equal([host.Identity(attacker).PersonKey], await EnrolledPersonKeysAsync(host));

        // The real person was not taken: under their own name they enroll now.
        var victimToken = await host.LoginAsync("o-the-real-one");
        var own = await host.DecidedAsync(victimToken, await host.SubmitAcceptedAsync(victimToken, People.SelfSignUp(PlanYear, active)));
        Assert.Equal("enrolled", own.GetProperty("status").GetString());
        var counters = await ValidationPipelineTests.CountersAsync(host.Storage);
        Assert.Equal(2, counters.Sum(c => c.GetInt64(TallyColumns.Enrolled) ?? 0));
    }

    [Fact]
    public async Task A_name_written_with_other_spaces_dots_or_width_still_matches()
    {
        var insurance = new InMemoryInsurance();
        await using var host = await PipelineHost.StartAsync(azurite, insurance: insurance);
        var person = People.Next() with { Name = "买买提·艾力" };
        insurance.Add(host.Identity(person));
        var token = await host.LoginAsync("o-minority-name");

        var view = await host.DecidedAsync(token, await host.SubmitAcceptedAsync(token, People.SelfSignUp(PlanYear, person with { Name = "买买提．艾力" })));

        Assert.Equal("enrolled", view.GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_applicants_own_inactive_insurance_is_told_precisely_only_when_their_name_matched()
    {
        var insurance = new InMemoryInsurance();
        await using var host = await PipelineHost.StartAsync(azurite, insurance: insurance);
        var (suspended, terminated) = (People.Next(), People.Next());
        insurance.Add(host.Identity(suspended), status: InsuranceStates.Suspended);
        insurance.Add(host.Identity(terminated), status: InsuranceStates.Terminated);

        var ownToken = await host.LoginAsync("o-own-suspended");
        var own = await host.DecidedAsync(ownToken, await host.SubmitAcceptedAsync(ownToken, People.SignUpJson(PlanYear, suspended, (suspended, "self"), (terminated, "spouse"))));
        var posingToken = await host.LoginAsync("o-posing-as-self");
        var posing = await host.DecidedAsync(posingToken, await host.SubmitAcceptedAsync(posingToken, People.SelfSignUp(PlanYear, terminated with { Name = "冒名" })));

        Assert.Equal(("not-insured", "基本医疗保险处于暂停状态"), Outcome(own, 0));
        Assert.Equal(("identity-mismatch", NotVerified), Outcome(own, 1));
        Assert.Equal(("identity-mismatch", NotVerified), Outcome(posing, 0));
        Assert.Equal("rejected", posing.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_roster_row_without_a_name_sends_the_sign_up_to_review_instead_of_enrolling_on_the_id_number_alone()
    {
        await using var host = await PipelineHost.StartAsync(azurite);
        var person = People.Next();
        var identity = host.Identity(person);
        var legacy = RosterTable.Entity(new RosterRow(2, identity.PersonKey, InsuranceSchemes.Resident, InsuranceStates.Active, "410502", "2025-12-01", identity.NameKey));
        legacy.Remove(RosterTable.NameKey);
        legacy.Remove(RosterTable.NameForm);
        await host.Storage.Table(TableNames.Roster).UpsertEntityAsync(legacy);
        var token = await host.LoginAsync("o-legacy-roster");

        var view = await host.DecidedAsync(token, await host.SubmitAcceptedAsync(token, People.SelfSignUp(PlanYear, person)), TimeSpan.FromSeconds(60));

        Assert.Equal("needs-review", view.GetProperty("status").GetString());
        Assert.Empty(await EnrolledPersonKeysAsync(host));
        Assert.Contains(host.Logs.Lines, l => l.Contains("has no usable name key", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_message_queued_before_name_keys_were_carried_is_checked_against_the_names_in_its_sealed_record()
    {
        var insurance = new InMemoryInsurance();
        await using var host = await PipelineHost.StartAsync(azurite, PipelineHost.WithoutListeners, insurance: insurance);
        var (applicant, spouse) = (People.Next(), People.Next());
        insurance.Add(host.Identity(applicant));
        insurance.Add(host.Identity(spouse));
        var token = await host.LoginAsync("o-old-message");
        var signUpId = await host.SubmitAcceptedAsync(token, People.SignUpJson(PlanYear, applicant, (applicant, "self"), (spouse with { Name = "冒名" }, "spouse")));
        var received = (await host.Storage.Queue(QueueNames.SignUps).ReceiveMessagesAsync(1)).Value.Single();
        var message = received.Body.ToObjectFromJson(SignUpJson.Default.SignUpBatch)!;
        var old = new SignUpBatch([.. message.SignUps.Select(s => s with { Persons = [.. s.Persons.Select(p => p with { NameKey = null })] })]);

        await using (var scope = host.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<SignUpValidation>().HandleAsync(old, new QueueDelivery(received.MessageId, 1, received.InsertedOn), CancellationToken.None);

        Assert.Equal([PersonOutcome.Enrolled, PersonOutcome.IdentityMismatch], (await PersonsAsync(host, signUpId)).Select(p => p.Outcome));
    }

    private static (string?, string?) Outcome(JsonElement view, int index)
    {
        var person = view.GetProperty("insured")[index];
        return (person.GetProperty("outcome").GetString(), person.GetProperty("reason").GetString());
    }

    internal static async Task<List<PersonState>> PersonsAsync(PipelineHost host, string signUpId)
    {
        var record = (await host.Storage.Table(TableNames.SignUps).GetEntityAsync<TableEntity>(SignUpKeys.Partition(signUpId), SignUpKeys.RecordRow(signUpId))).Value;
        return PersonStates.Read(record.GetString(nameof(SignUpRecord.Persons))!);
    }

    internal static async Task<List<string>> EnrolledPersonKeysAsync(PipelineHost host)
    {
        var keys = new List<string>();
        await foreach (var row in host.Storage.Table(TableNames.Enrollments).QueryAsync<TableEntity>(select: ["RowKey"]))
        {
            if (!EnrollmentKeys.IsCounterRow(row.RowKey))
                keys.Add(row.RowKey[2..]);
        }
        return keys;
    }
}
