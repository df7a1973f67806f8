using HuiminBao.DevHost.Azurite;
using HuiminBao.Enrollment.Eligibility;
using Microsoft.Extensions.DependencyInjection;

namespace HuiminBao.Tests.Enrollment;

public sealed class RosterLookupTests
{
    [Fact]
    public async Task Storage_that_cannot_be_reached_makes_the_roster_lookup_unavailable_not_a_not_found()
    {
        var closedPort = AzuriteLauncher.FreePort();
        var connection = $"DefaultEndpointsProtocol=http;AccountName={AzuriteInstance.DevelopmentAccount};AccountKey={AzuriteInstance.DevelopmentKey};TableEndpoint=http://127.0.0.1:{closedPort}/{AzuriteInstance.DevelopmentAccount};QueueEndpoint=http://127.0.0.1:{closedPort}/q;BlobEndpoint=http://127.0.0.1:{closedPort}/b;";
        using var host = EligibilityServiceProvider.Build(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = connection });

        var lookup = host.Services.GetRequiredService<IInsuranceLookup>();

        await Assert.ThrowsAsync<InsuranceLookupUnavailableException>(() => lookup.LookupAsync(new PersonToCheck(new string('a', 64), null), default));
    }
}
