using HuiminBao.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace HuiminBao.Tests.Functions;

/// <summary>How the Functions app reads its Key Vault-backed settings in Azure.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class SecretSettingsTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_key_vault_reference_that_did_not_resolve_stops_the_app_from_starting()
    {
        var failure = await Assert.ThrowsAsync<AggregateException>(() => FunctionsAppHost.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["Security:RetiredDataKeys"] = "@Microsoft.KeyVault(VaultName=kv-test;SecretName=security-retired-data-keys)",
        }, provision: false));

        var unresolved = Assert.Single(failure.InnerExceptions.OfType<OptionsValidationException>(), e => e.OptionsType == typeof(HuiminBao.Hosting.SecretReferences));
        Assert.Contains("Security:RetiredDataKeys", unresolved.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task None_stands_for_no_keys_in_a_secret_that_cannot_be_empty()
    {
        await using var app = await FunctionsAppHost.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["Security:RetiredDataKeys"] = "none",
            ["Ops:Keys"] = "None",
        }, provision: false);

        var refused = await app.HttpAsync("ListReviews", "GET", "/api/ops/reviews", headers: new Dictionary<string, string> { ["x-functions-key"] = "none" });
        Assert.Equal(401, refused.Status);
    }
}
