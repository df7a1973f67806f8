using Azure.Data.Tables;
using HuiminBao.DevHost.Azurite;
using HuiminBao.Domain;
using HuiminBao.Enrollment.Eligibility;
using HuiminBao.Roster;
using HuiminBao.Security;
using HuiminBao.Storage;
using HuiminBao.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace HuiminBao.Tests.Enrollment;

[Collection(AzuriteCollection.Name)]
public sealed class RosterLookupTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Storage_that_cannot_be_reached_makes_the_roster_lookup_unavailable_not_a_not_found()
    {
        var closedPort = AzuriteLauncher.FreePort();
        var connection = $"DefaultEndpointsProtocol=http;AccountName={AzuriteInstance.DevelopmentAccount};AccountKey={AzuriteInstance.DevelopmentKey};TableEndpoint=http://127.0.0.1:{closedPort}/{AzuriteInstance.DevelopmentAccount};QueueEndpoint=http://127.0.0.1:{closedPort}/q;BlobEndpoint=http://127.0.0.1:{closedPort}/b;";
        using var host = EligibilityServiceProvider.Build(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = connection });

        var lookup = host.Services.GetRequiredService<IInsuranceLookup>();

        await Assert.ThrowsAsync<InsuranceLookupUnavailableException>(() => lookup.LookupAsync(new PersonToCheck(new string('a', 64), new string('b', 32)), default));
    }

    [Fact]
    public async Task The_name_given_is_compared_with_the_one_the_roster_keeps_and_a_row_without_one_decides_nothing()
    {
        var connection = azurite.NewAccount();
        using var host = EligibilityServiceProvider.Build(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = connection });
        var hashes = host.Services.GetRequiredService<KeyedHashes>();
        var table = new TableClient(connection, TableNames.Roster);
        await table.CreateIfNotExistsAsync();
        var (current, legacy, olderForm) = (People.Next(), People.Next(), People.Next());
        RosterRow Row(Person p) => new(2, hashes.PersonKey(p.IdNumber), InsuranceSchemes.Resident, InsuranceStates.Active, "410502", "2026-03-01", hashes.NameKey(p.IdNumber, p.Name));
        await table.AddEntityAsync(RosterTable.Entity(Row(current)));
        var withoutName = RosterTable.Entity(Row(legacy));
        withoutName.Remove(RosterTable.NameKey);
        withoutName.Remove(RosterTable.NameForm);
        await table.AddEntityAsync(withoutName);
        var earlierForm = RosterTable.Entity(Row(olderForm));
        earlierForm[RosterTable.NameForm] = PersonName.ComparisonVersion - 1;
        await table.AddEntityAsync(earlierForm);
        var lookup = host.Services.GetRequiredService<RosterLookup>();
        PersonToCheck Check(Person p, string name) => new(hashes.PersonKey(p.IdNumber), hashes.NameKey(p.IdNumber, name));

        Assert.True((await lookup.LookupAsync(Check(current, current.Name), default)).IsActive);
        Assert.Equal(InsuranceStatus.NameMismatch, await lookup.LookupAsync(Check(current, current.Name + "华"), default));
        await Assert.ThrowsAsync<RosterNameMissingException>(() => lookup.LookupAsync(Check(legacy, legacy.Name), default));
        await Assert.ThrowsAsync<RosterNameMissingException>(() => lookup.LookupAsync(Check(olderForm, olderForm.Name), default));
    }
}
