using System.Text.Json.Nodes;
using HuiminBao.Hosting;
using static HuiminBao.Tests.Infra.ArmExpression;
using static HuiminBao.Tests.Infra.ArmTemplateTests;

namespace HuiminBao.Tests.Infra;

/// <summary>
/// The two deployments the template is for, each with the parameters azd would give it from
/// main.parameters.json: global Azure on Flex Consumption, and Azure operated by 21Vianet (China
/// North 3) on Elastic Premium, where Flex Consumption is not offered. Each must pass every check,
/// set what the code reads, reach storage with the app's identity and name no host of either cloud.
/// </summary>
[Collection(InfraCollection.Name)]
public sealed class CloudVariantTests(CompiledTemplate compiled)
{
    public const string Global = "global";
    public const string China = "china";

    public static TheoryData<string> Clouds() => [Global, China];

    /// <summary>What ops set with <c>azd env set</c> for a city (docs/DEPLOYMENT.md), per cloud.</summary>
    internal static Dictionary<string, string> AzdEnvironment(string cloud)
    {
        var environment = new Dictionary<string, string>
        {
            ["AZURE_ENV_NAME"] = "anyang-prod",
            ["AZURE_PRINCIPAL_ID"] = "6f1c2b1e-8a0d-4a7e-9d55-0c1e2f3a4b5c",
            ["WECHAT_APP_ID"] = "wx0123456789abcdef",
            ["ENROLLMENT_PLAN_YEAR"] = "2026",
            ["ENROLLMENT_OPENS_AT"] = "2025-11-01T00:00:00+08:00",
            ["ENROLLMENT_CLOSES_AT"] = "2026-04-01T00:00:00+08:00",
            ["NOTIFICATIONS_TEMPLATE_ID"] = "Tj3dLe0xVd1q2Q-8mQ7lq7Q9rXKx0Z4cWmM8zX1y2A",
            ["PRIVACY_CONSENT_VERSIONS"] = "2025-10,2026-01",
        };
        if (cloud == Global)
        {
            environment["AZURE_LOCATION"] = "eastasia";
        }
        else
        {
            environment["AZURE_LOCATION"] = "chinanorth3";
            environment["AZURE_FUNCTIONS_PLAN"] = "ElasticPremium";
            environment["AZURE_FUNCTIONS_EP_SKU"] = "EP2";
        }
        return environment;
    }

    private Evaluated Variant(string cloud)
    {
        var template = compiled.Fresh();
        return Evaluated.Of(template, AzdParameters.Resolve(template, AzdEnvironment(cloud)));
    }

    [Theory]
    [MemberData(nameof(Clouds))]
    public void Each_cloud_variant_passes_every_check(string cloud)
    {
        var violations = Variant(cloud).Check();

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Theory]
    [MemberData(nameof(Clouds))]
    public void Each_cloud_variant_sets_what_the_code_reads_and_reaches_storage_with_the_identity(string cloud)
    {
        var variant = Variant(cloud);
        var settings = variant.Settings;
        var identityId = variant.Resources.Single(r => r.IsType("Microsoft.ManagedIdentity/userAssignedIdentities")).IdText;

        foreach (var setting in AppSettings.Required.Concat(AppSettings.IdentityStorage))
            Assert.True(settings.ContainsKey(ArmRequirements.AzureName(setting)), $"{cloud}: {setting} is not set");
        foreach (var secret in AppSettings.Secrets)
            Assert.StartsWith("@Microsoft.KeyVault(VaultName=kv-", settings[ArmRequirements.AzureName(secret)]);
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.Equal("2025-10,2026-01", settings["Privacy__ConsentVersions"]);
        Assert.Equal("90.00:00:00", settings["Retention__PurgeAfter"]);
        Assert.Equal($"{HoleOpen}environment().authentication.loginEndpoint{HoleClose}", settings["AZURE_AUTHORITY_HOST"]);
        Assert.Equal(identityId, AsText(variant.App.Properties!["keyVaultReferenceIdentity"]));

        // No connection string, account key or SAS anywhere: not for the host's storage, not for a content share.
        Assert.DoesNotContain("AzureWebJobsStorage", settings.Keys);
        Assert.DoesNotContain("WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", settings.Keys);
        Assert.DoesNotContain("WEBSITE_CONTENTSHARE", settings.Keys);
        Assert.StartsWith("@Microsoft.KeyVault(VaultName=kv-", settings["Ops__Keys"]);
        foreach (var (name, value) in settings)
        {
            Assert.DoesNotContain("AccountKey", value ?? "", StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("sig=", value ?? "", StringComparison.Ordinal);
        }
        foreach (var resource in variant.Resources)
            Assert.Empty(ArmTemplateChecks.CloudSpecificHosts(resource.Body.ToJsonString()));
    }

    [Fact]
    public void Global_variant_runs_on_flex_consumption_deployed_from_a_blob_container()
    {
        var variant = Variant(Global);

        var sku = (JsonObject)variant.Plan.Body["sku"]!;
        Assert.Equal("FC1", AsText(sku["name"]));
        Assert.Equal("FlexConsumption", AsText(sku["tier"]));
        var config = (JsonObject)variant.App.Properties!["functionAppConfig"]!;
        Assert.Equal("dotnet-isolated", AsText(config["runtime"]!["name"]));
        Assert.Equal("10.0", AsText(config["runtime"]!["version"]));
        Assert.Equal("UserAssignedIdentity", AsText(config["deployment"]!["storage"]!["authentication"]!["type"]));
        Assert.EndsWith($".primaryEndpoints.blob{HoleClose}app-package", AsText(config["deployment"]!["storage"]!["value"]));
        Assert.Null(variant.App.Properties!["siteConfig"]!["linuxFxVersion"]);
        foreach (var rejected in new[] { "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_RUN_FROM_PACKAGE" })
            Assert.DoesNotContain(rejected, variant.Settings.Keys);
        // The platform fetches a Flex Consumption package with the app's identity; nobody uploads it by hand.
        Assert.Empty(DeployerAssignments(variant));
    }

    [Fact]
    public void China_variant_runs_on_elastic_premium_from_a_package_blob_read_with_the_identity()
    {
        var variant = Variant(China);
        var settings = variant.Settings;
        var identityId = variant.Resources.Single(r => r.IsType("Microsoft.ManagedIdentity/userAssignedIdentities")).IdText;

        Assert.Equal("chinanorth3", AsText(variant.App.Body["location"]));
        Assert.Equal("elastic", AsText(variant.Plan.Body["kind"]));
        var sku = (JsonObject)variant.Plan.Body["sku"]!;
        Assert.Equal("EP2", AsText(sku["name"]));
        Assert.Equal("ElasticPremium", AsText(sku["tier"]));
        Assert.Equal(1, sku["capacity"]!.GetValue<int>());
        Assert.Equal(100, variant.Plan.Properties!["maximumElasticWorkerCount"]!.GetValue<int>());
        Assert.True(variant.Plan.Properties!["reserved"]!.GetValue<bool>());

        Assert.Null(variant.App.Properties!["functionAppConfig"]);
        Assert.Equal("functionapp,linux", AsText(variant.App.Body["kind"]));
        Assert.Equal("DOTNET-ISOLATED|10.0", AsText(variant.App.Properties!["siteConfig"]!["linuxFxVersion"]));
        Assert.Equal(1, variant.App.Properties!["siteConfig"]!["minimumElasticInstanceCount"]!.GetValue<int>());
        Assert.Equal("dotnet-isolated", settings["FUNCTIONS_WORKER_RUNTIME"]);
        Assert.Equal("~4", settings["FUNCTIONS_EXTENSION_VERSION"]);
        Assert.StartsWith($"{HoleOpen}reference(resourceId('Microsoft.Storage/storageAccounts', ", settings["WEBSITE_RUN_FROM_PACKAGE"]);
        Assert.EndsWith($".primaryEndpoints.blob{HoleClose}app-package/functions.zip", settings["WEBSITE_RUN_FROM_PACKAGE"]);
        Assert.Equal(identityId, settings["WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID"]);

        // Whoever deploys uploads the package, so they may write that container, and only that one.
        var upload = Assert.Single(DeployerAssignments(variant));
        Assert.Contains("'app-package')", AsText(upload.Body["scope"]), StringComparison.Ordinal);
        Assert.Contains(BlobDataContributor, AsText(upload.Properties!["roleDefinitionId"]), StringComparison.Ordinal);
    }

    private const string BlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";

    private static IEnumerable<ArmResource> DeployerAssignments(Evaluated variant) =>
        variant.Resources.Where(r => r.IsType("Microsoft.Authorization/roleAssignments")
            && AsText(r.Properties!["principalId"]) == AzdEnvironment(China)["AZURE_PRINCIPAL_ID"]
            && AsText(r.Properties!["roleDefinitionId"])!.Contains(BlobDataContributor, StringComparison.Ordinal));

    [Fact]
    public void Arm_check_flags_an_elastic_premium_content_share_connection_string()
    {
        var variant = Variant(China);
        variant.AppSettings.Add(new JsonObject
        {
            ["name"] = "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
            ["value"] = "DefaultEndpointsProtocol=https;AccountName=st1;AccountKey=a2V5",
        });
        variant.AppSettings.Add(new JsonObject { ["name"] = "WEBSITE_CONTENTSHARE", ["value"] = "func-content" });

        var violations = variant.Check();

        AssertFlags(violations, "App setting WEBSITE_CONTENTAZUREFILECONNECTIONSTRING is Elastic Premium's Azure Files content share");
        AssertFlags(violations, "App setting WEBSITE_CONTENTSHARE is Elastic Premium's Azure Files content share");
        AssertFlags(violations, "App setting WEBSITE_CONTENTAZUREFILECONNECTIONSTRING carries a shared key or SAS");
    }

    [Fact]
    public void Arm_check_flags_an_elastic_premium_package_read_with_a_sas()
    {
        var variant = Variant(China);
        var package = Named(variant.AppSettings, "WEBSITE_RUN_FROM_PACKAGE")!;
        package["value"] = AsText(package["value"]) + "?sv=2024-11-04&sr=b&sp=r&sig=c2lnbmF0dXJl";

        var violations = variant.Check();

        AssertFlags(violations, "WEBSITE_RUN_FROM_PACKAGE must be a .zip blob in a container of the pipeline's storage account, without a SAS");
        AssertFlags(violations, "App setting WEBSITE_RUN_FROM_PACKAGE carries a shared key or SAS");
    }

    [Fact]
    public void Arm_check_flags_an_elastic_premium_package_read_without_the_apps_identity()
    {
        var variant = Variant(China);
        Assert.True(variant.AppSettings.Remove(Named(variant.AppSettings, "WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID")));

        AssertFlags(variant.Check(), "WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID must be the app's user-assigned identity");
    }

    [Fact]
    public void Arm_check_flags_an_elastic_premium_app_without_its_worker_runtime()
    {
        var variant = Variant(China);
        Assert.True(variant.AppSettings.Remove(Named(variant.AppSettings, "FUNCTIONS_WORKER_RUNTIME")));
        variant.App.Properties!["siteConfig"]!["linuxFxVersion"] = "DOTNET-ISOLATED|8.0";

        var violations = variant.Check();

        AssertFlags(violations, "App setting FUNCTIONS_WORKER_RUNTIME must be 'dotnet-isolated' on Elastic Premium (is not set)");
        AssertFlags(violations, "siteConfig.linuxFxVersion must be 'DOTNET-ISOLATED|10.0'");
    }

    [Fact]
    public void Arm_check_flags_a_plan_that_is_neither_flex_consumption_nor_elastic_premium()
    {
        var variant = Variant(China);
        variant.Plan.Body["sku"] = new JsonObject { ["name"] = "Y1", ["tier"] = "Dynamic" };

        AssertFlags(variant.Check(), "The Functions app must run on a plan declared in the template: Flex Consumption");
    }

    [Theory]
    [InlineData("https://stanyang.blob.core.windows.net/", "core.windows.net")]
    [InlineData("https://stanyang.blob.core.chinacloudapi.cn/", "chinacloudapi.cn")]
    [InlineData("https://kv-anyang.vault.azure.cn/", "azure.cn")]
    public void Arm_check_flags_a_cloud_specific_host_written_into_the_template(string endpoint, string host)
    {
        var template = compiled.Fresh();
        template["outputs"]!.AsObject()["AZURE_STORAGE_ENDPOINT"] = new JsonObject { ["type"] = "string", ["value"] = endpoint };

        AssertFlags(ArmTemplateChecks.Check(template, ArmRequirements.FromCode()), $"The template names '{host}', a host of one Azure cloud");
    }

    [Fact]
    public void Infra_sources_name_no_host_of_either_cloud()
    {
        // Bicep, the policy it loads, the parameters file: all of infra/ ("$schema" lines name the ARM schema host only).
        var sources = Directory.GetFiles(BicepCli.Infra, "*", SearchOption.AllDirectories);
        Assert.Contains(sources, f => f.EndsWith(".bicep", StringComparison.Ordinal));
        Assert.Contains(sources, f => f.EndsWith(".xml", StringComparison.Ordinal));

        var found = sources
            .SelectMany(file => File.ReadLines(file)
                .Where(line => !line.Contains("\"$schema\"", StringComparison.Ordinal))
                .SelectMany(ArmTemplateChecks.CloudSpecificHosts)
                .Select(host => $"{Path.GetRelativePath(BicepCli.RepoRoot, file)}: {host}"))
            .ToList();

        Assert.True(found.Count == 0, "Endpoints must come from the resource or environment():\n" + string.Join("\n", found));
    }

    private Evaluated WithGateway(string cloud, Action<Dictionary<string, string>>? change = null)
    {
        var environment = AzdEnvironment(cloud);
        environment["GATEWAY"] = "ApiManagement";
        environment["GATEWAY_PUBLISHER_EMAIL"] = "ops@example.org";
        change?.Invoke(environment);
        var template = compiled.Fresh();
        return Evaluated.Of(template, AzdParameters.Resolve(template, environment));
    }

    [Theory]
    [MemberData(nameof(Clouds))]
    public void Each_cloud_variant_with_the_gateway_passes_every_check(string cloud)
    {
        var violations = WithGateway(cloud).Check();

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public void Gateway_limits_sessions_and_sign_ups_and_the_app_answers_only_the_gateway()
    {
        var variant = WithGateway(China);

        var service = variant.Resources.Single(r => r.IsType("Microsoft.ApiManagement/service"));
        Assert.Equal("Standard", AsText(service.Body["sku"]!["name"]));
        Assert.Equal("chinanorth3", AsText(service.Body["location"]));
        var policy = AsText(variant.Resources.Single(r => r.IsType("Microsoft.ApiManagement/service/apis/policies")).Properties!["value"])!;
        Assert.Contains("<rate-limit-by-key calls=\"1200\" renewal-period=\"60\" counter-key=\"@(\"sessions|\" + context.Request.IpAddress)\"", policy, StringComparison.Ordinal);
        Assert.Contains("<rate-limit-by-key calls=\"1200\" renewal-period=\"60\" counter-key=\"@(\"signups|\" + context.Request.IpAddress)\"", policy, StringComparison.Ordinal);
        Assert.Contains("<rate-limit-by-key calls=\"60\" renewal-period=\"60\"", policy, StringComparison.Ordinal);
        Assert.Contains("\"code\":\"rate-limited\"", policy, StringComparison.Ordinal);

        var siteConfig = (JsonObject)variant.App.Properties!["siteConfig"]!;
        Assert.Equal("Deny", AsText(siteConfig["ipSecurityRestrictionsDefaultAction"]));
        Assert.False(siteConfig["scmIpSecurityRestrictionsUseMain"]!.GetValue<bool>());
        var allow = Assert.Single((JsonArray)siteConfig["ipSecurityRestrictions"]!)!;
        Assert.Contains("'outputs', 'publicIpAddresses'", AsText(allow["ipAddress"]), StringComparison.Ordinal);
        Assert.Equal("X-HuiminBao-Client-Address", variant.Settings["Gateway__ClientAddressHeader"]);
        Assert.Contains("<set-header name=\"X-HuiminBao-Client-Address\" exists-action=\"override\">", policy, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_the_gateway_nothing_fronts_the_app_and_no_address_header_is_believed()
    {
        var variant = Variant(Global);

        Assert.DoesNotContain(variant.Resources, r => r.Type.StartsWith("Microsoft.ApiManagement/", StringComparison.OrdinalIgnoreCase));
        var siteConfig = (JsonObject)variant.App.Properties!["siteConfig"]!;
        Assert.Equal("Allow", AsText(siteConfig["ipSecurityRestrictionsDefaultAction"]));
        Assert.Empty((JsonArray)siteConfig["ipSecurityRestrictions"]!);
        Assert.Equal("", variant.Settings["Gateway__ClientAddressHeader"]);
    }

    [Fact]
    public void Arm_check_flags_a_gateway_tier_not_offered_in_both_clouds()
    {
        var variant = WithGateway(China);
        variant.Resources.Single(r => r.IsType("Microsoft.ApiManagement/service")).Body["sku"] = new JsonObject { ["name"] = "Consumption", ["capacity"] = 0 };

        AssertFlags(variant.Check(), "use a classic tier offered in both clouds");
    }

    [Fact]
    public void Arm_check_flags_a_gateway_policy_without_the_session_limit()
    {
        var variant = WithGateway(Global);
        var policy = variant.Resources.Single(r => r.IsType("Microsoft.ApiManagement/service/apis/policies")).Properties!;
        policy["value"] = AsText(policy["value"])!.Replace("\"sessions|\"", "\"login|\"", StringComparison.Ordinal);

        AssertFlags(variant.Check(), "The gateway policy must limit POST /api/sessions per client address");
    }

    [Fact]
    public void Arm_check_flags_an_app_that_can_be_reached_around_the_gateway()
    {
        var variant = WithGateway(Global);
        variant.App.Properties!["siteConfig"]!["ipSecurityRestrictionsDefaultAction"] = "Allow";

        AssertFlags(variant.Check(), "With a gateway in front, the app must deny other callers");
    }

    [Fact]
    public void Arm_check_flags_a_client_address_header_believed_without_a_gateway()
    {
        var variant = Variant(Global);
        Named(variant.AppSettings, "Gateway__ClientAddressHeader")!["value"] = "X-Forwarded-For";

        AssertFlags(variant.Check(), "but no gateway fronts the app: any caller could write that header");
    }

    [Fact]
    public void Azd_environment_missing_a_required_value_or_naming_an_unknown_plan_is_refused()
    {
        var template = compiled.Fresh();
        var withoutConsent = AzdEnvironment(China);
        withoutConsent.Remove("PRIVACY_CONSENT_VERSIONS");
        var consumption = AzdEnvironment(China);
        consumption["AZURE_FUNCTIONS_PLAN"] = "Consumption";

        Assert.Contains("consentVersions", Assert.Throws<InvalidOperationException>(() => AzdParameters.Resolve(template, withoutConsent)).Message, StringComparison.Ordinal);
        Assert.Contains("hostingPlan", Assert.Throws<InvalidOperationException>(() => AzdParameters.Resolve(template, consumption)).Message, StringComparison.Ordinal);
    }
}
