using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using HuiminBao.Hosting;
using HuiminBao.Queues;
using HuiminBao.Storage;
using static HuiminBao.Tests.Infra.ArmExpression;

namespace HuiminBao.Tests.Infra;

/// <summary>What the code needs from its deployment, read from the shared assembly rather than copied.</summary>
internal sealed record ArmRequirements(
    IReadOnlyList<string> Settings,
    IReadOnlyList<string> SecretSettings,
    IReadOnlyList<string> IdentityStorageSettings,
    IReadOnlyList<string> Queues,
    IReadOnlyList<string> Tables,
    IReadOnlyList<string> Containers)
{
    public static ArmRequirements FromCode() => new(
        AppSettings.Required, AppSettings.Secrets, AppSettings.IdentityStorage, QueueNames.All, TableNames.All, BlobContainers.All);

    /// <summary>Azure app settings are environment variables, where configuration's <c>:</c> is spelled <c>__</c>.</summary>
    public static string AzureName(string setting) => setting.Replace(":", "__", StringComparison.Ordinal);
}

/// <summary>A built-in role the app identity must hold, and the kind of resource it must hold it on.</summary>
internal sealed record RequiredRole(string Name, string DefinitionId, string ScopeType);

/// <summary>
/// Checks a compiled ARM template against what the pipeline needs to run safely in Azure, returning
/// every violation found (empty when the template is fine). The same checks run on the real template
/// and on deliberately broken copies, so a check that cannot fail is caught by its own test.
/// </summary>
internal static partial class ArmTemplateChecks
{
    public static readonly IReadOnlyList<RequiredRole> AppRoles =
    [
        new("Storage Blob Data Owner", "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", StorageAccountType),
        new("Storage Queue Data Contributor", "974c5e8b-45b9-4653-ba55-5f855dd0fb88", StorageAccountType),
        new("Storage Table Data Contributor", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", StorageAccountType),
        new("Key Vault Secrets User", "4633458b-17de-408a-b874-0445c86b69e6", VaultType),
    ];

    /// <summary>Needed when Application Insights refuses local (instrumentation key) auth.</summary>
    public static readonly RequiredRole TelemetryRole = new("Monitoring Metrics Publisher", "3913510d-42f4-4e42-8a64-420c390055eb", AppInsightsType);

    public static IEnumerable<RequiredRole> AllRoles => [.. AppRoles, TelemetryRole];

    private const string StorageAccountType = "Microsoft.Storage/storageAccounts";
    private const string VaultType = "Microsoft.KeyVault/vaults";
    private const string AppInsightsType = "Microsoft.Insights/components";
    private const string KeyVaultReference = "@Microsoft.KeyVault(";

    // Host names (or their suffixes) that exist in only one cloud. The template must not contain any:
    // storage, Key Vault, App Service, telemetry and sign-in endpoints differ between global Azure and
    // Azure operated by 21Vianet, and ARM gives each through the resource or environment().
    public static readonly IReadOnlyList<string> CloudSpecificHostNames =
    [
        // global Azure
        "core.windows.net",
        "vault.azure.net",
        "azurewebsites.net",
        "applicationinsights.azure.com",
        "monitor.azure.com",
        "login.microsoftonline.com",
        "login.windows.net",
        "management.azure.com",
        "azure-api.net",
        "azurefd.net",
        "azureedge.net",
        "database.windows.net",
        "servicebus.windows.net",
        // Azure operated by 21Vianet
        "chinacloudapi.cn",
        "chinacloudsites.cn",
        "microsoftonline.cn",
        "azure.cn",
    ];

    // Settings only the local host reads: none of them may reach Azure.
    public static readonly IReadOnlyList<string> LocalOnlySettings = ["DevHost:StandIns", "DevHost:QueueLease", "DevHost:QueueListeners", "DevHost:Timers"];

    private const string ApiManagementType = "Microsoft.ApiManagement/service";
    private const string ClientAddressHeaderSetting = "Gateway__ClientAddressHeader";

    // Consumption is not offered in Azure operated by 21Vianet; the v2 tiers are not listed there.
    private static readonly string[] ClassicGatewayTiers = ["Developer", "Basic", "Standard", "Premium"];

    private const string FlexConsumption = "FlexConsumption";
    private const string ElasticPremium = "ElasticPremium";
    private static readonly string[] ElasticPremiumSkus = ["EP1", "EP2", "EP3"];
    private const string PremiumRuntime = "DOTNET-ISOLATED|10.0";

    // Elastic Premium's Azure Files content share is reached with an account key only.
    private static readonly string[] ContentShareSettings = ["WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "WEBSITE_CONTENTSHARE"];

    // Flex Consumption takes runtime, scale and deployment from functionAppConfig and rejects these.
    private static readonly string[] SettingsFlexRejects =
    [
        "FUNCTIONS_EXTENSION_VERSION",
        "FUNCTIONS_WORKER_RUNTIME",
        "FUNCTIONS_WORKER_RUNTIME_VERSION",
        "WEBSITE_RUN_FROM_PACKAGE",
        "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
        "WEBSITE_CONTENTSHARE",
        "WEBSITE_MAX_DYNAMIC_APPLICATION_SCALE_OUT",
        "SCM_DO_BUILD_DURING_DEPLOYMENT",
    ];

    // Any of these means something reads an account key, which cannot work with shared keys off
    // and would put a key into app settings or deployment history if it could.
    private static readonly string[] KeyMaterial = ["listKeys(", "listAccountSas(", "listServiceSas(", "AccountKey="];

    public static IReadOnlyList<string> Check(JsonObject template, ArmRequirements required) => Check(template, required, parameters: null);

    /// <summary>Checks the template as deployed with these values for its own parameters (defaults for the rest).</summary>
    public static IReadOnlyList<string> Check(JsonObject template, ArmRequirements required, IReadOnlyDictionary<string, JsonNode?>? parameters) =>
        Check(template.ToJsonString(), ArmTemplate.Resources(template, parameters), required);

    /// <summary>
    /// Checks resources already evaluated from a template (<see cref="ArmTemplate.Resources(JsonObject, IReadOnlyDictionary{string, JsonNode?}?)"/>),
    /// with the template's text for what is searched as text (account keys, cloud-specific host names).
    /// </summary>
    public static IReadOnlyList<string> Check(string templateText, IReadOnlyList<ArmResource> resources, ArmRequirements required)
    {
        var violations = new List<string>();
        var texts = new[] { WithoutSchemas(templateText) }.Concat(resources.Select(r => r.Body.ToJsonString())).ToList();
        foreach (var marker in KeyMaterial)
        {
            if (texts.Any(t => t.Contains(marker, StringComparison.OrdinalIgnoreCase)))
                violations.Add($"The template uses storage account keys ('{marker}'); with shared keys off the app must use its identity.");
        }
        foreach (var host in CloudSpecificHosts(string.Join("\n", texts)))
            violations.Add($"The template names '{host}', a host of one Azure cloud; take it from the resource or from environment() so the template deploys to global Azure and to Azure operated by 21Vianet alike.");

        var accounts = OfType(resources, StorageAccountType);
        var vaults = OfType(resources, VaultType);
        CheckStorageAccounts(accounts, violations);
        CheckVaults(vaults, violations);

        var app = CheckFunctionApp(resources, accounts, vaults, required, violations, out var deploymentContainer, out var identityId);

        CheckNames("Queue", OfType(resources, "Microsoft.Storage/storageAccounts/queueServices/queues"), required.Queues, violations);
        CheckNames("Table", OfType(resources, "Microsoft.Storage/storageAccounts/tableServices/tables"), required.Tables, violations);
        var containers = OfType(resources, "Microsoft.Storage/storageAccounts/blobServices/containers");
        CheckNames("Blob container", containers, [.. required.Containers, .. deploymentContainer is null ? [] : new[] { deploymentContainer }], violations);
        foreach (var container in containers)
        {
            var access = AsText(Property(container.Properties, "publicAccess"));
            if (!string.IsNullOrEmpty(access) && access != "None")
                violations.Add($"Blob container '{container.LeafName}' allows public access '{access}'.");
        }

        if (app is not null && identityId is not null)
        {
            var roles = new List<RequiredRole>(AppRoles);
            if (OfType(resources, AppInsightsType).Any(c => TryGetBool(Property(c.Properties, "DisableLocalAuth"), out var off) && off))
                roles.Add(TelemetryRole);
            CheckRoles(resources, roles, identityId, violations);
        }
        return violations;
    }

    private static List<ArmResource> OfType(IReadOnlyList<ArmResource> resources, string type) => [.. resources.Where(r => r.IsType(type))];

    /// <summary>The cloud-specific host names that occur in a text (compiled template or Bicep source).</summary>
    public static IEnumerable<string> CloudSpecificHosts(string text) =>
        CloudSpecificHostNames.Where(host => text.Contains(host, StringComparison.OrdinalIgnoreCase));

    // "$schema" points at the ARM schema host, which names no endpoint the deployment uses.
    private static string WithoutSchemas(string templateText)
    {
        var node = JsonNode.Parse(templateText);
        RemoveSchemas(node);
        return node?.ToJsonString() ?? "";

        static void RemoveSchemas(JsonNode? n)
        {
            switch (n)
            {
                case JsonObject o:
                    o.Remove("$schema");
                    foreach (var (_, child) in o.ToList())
                        RemoveSchemas(child);
                    break;
                case JsonArray a:
                    foreach (var child in a)
                        RemoveSchemas(child);
                    break;
            }
        }
    }

    private static void CheckStorageAccounts(List<ArmResource> accounts, List<string> violations)
    {
        if (accounts.Count == 0)
            violations.Add("No storage account is declared.");
        foreach (var account in accounts)
        {
            var p = account.Properties;
            // An absent allowSharedKeyAccess means allowed: it has to be written, and written false.
            if (!(TryGetBool(Property(p, "allowSharedKeyAccess"), out var sharedKey) && !sharedKey))
                violations.Add($"Storage account '{account.NameText}' must set allowSharedKeyAccess: false (it is {Describe(Property(p, "allowSharedKeyAccess"))}).");
            if (AsText(Property(p, "minimumTlsVersion")) != "TLS1_2")
                violations.Add($"Storage account '{account.NameText}' must set minimumTlsVersion: 'TLS1_2' (it is {Describe(Property(p, "minimumTlsVersion"))}).");
            if (!(TryGetBool(Property(p, "allowBlobPublicAccess"), out var publicBlobs) && !publicBlobs))
                violations.Add($"Storage account '{account.NameText}' must set allowBlobPublicAccess: false (it is {Describe(Property(p, "allowBlobPublicAccess"))}).");
            if (TryGetBool(Property(p, "supportsHttpsTrafficOnly"), out var httpsOnly) && !httpsOnly)
                violations.Add($"Storage account '{account.NameText}' accepts plain HTTP (supportsHttpsTrafficOnly: false).");
        }
    }

    private static void CheckVaults(List<ArmResource> vaults, List<string> violations)
    {
        if (vaults.Count == 0)
            violations.Add("No Key Vault is declared.");
        foreach (var vault in vaults)
        {
            var p = vault.Properties;
            if (!(TryGetBool(Property(p, "enableRbacAuthorization"), out var rbac) && rbac))
                violations.Add($"Key Vault '{vault.NameText}' must use RBAC authorization (enableRbacAuthorization: true).");
            if (!(TryGetBool(Property(p, "enablePurgeProtection"), out var purge) && purge))
                violations.Add($"Key Vault '{vault.NameText}' must enable purge protection (enablePurgeProtection: true).");
            if (TryGetBool(Property(p, "enableSoftDelete"), out var softDelete) && !softDelete)
                violations.Add($"Key Vault '{vault.NameText}' must keep soft delete on.");
        }
    }

    private static ArmResource? CheckFunctionApp(
        IReadOnlyList<ArmResource> resources,
        List<ArmResource> accounts,
        List<ArmResource> vaults,
        ArmRequirements required,
        List<string> violations,
        out string? deploymentContainer,
        out string? identityId)
    {
        deploymentContainer = null;
        identityId = null;
        var apps = OfType(resources, "Microsoft.Web/sites")
            .Where(s => (AsText(Property(s.Body, "kind")) ?? "").Contains("functionapp", StringComparison.OrdinalIgnoreCase))
            .ToList();
        if (apps.Count != 1)
        {
            violations.Add($"Expected one Functions app (Microsoft.Web/sites, kind functionapp), found {apps.Count}.");
            return null;
        }
        var app = apps[0];
        var p = app.Properties;

        var identity = Property(app.Body, "identity") as JsonObject;
        var assigned = (Property(identity, "userAssignedIdentities") as JsonObject)?.Select(i => i.Key).ToList() ?? [];
        if (!(AsText(Property(identity, "type")) ?? "").Contains("UserAssigned", StringComparison.OrdinalIgnoreCase) || assigned.Count != 1)
        {
            violations.Add($"The Functions app must run as exactly one user-assigned identity (has {assigned.Count}).");
        }
        else
        {
            var assignedId = assigned[0];
            identityId = assignedId;
            if (!OfType(resources, "Microsoft.ManagedIdentity/userAssignedIdentities").Any(i => i.IdText == assignedId))
                violations.Add($"The Functions app's identity {assignedId} is not declared in the template.");
        }

        if (!(TryGetBool(Property(p, "httpsOnly"), out var httpsOnly) && httpsOnly))
            violations.Add("The Functions app must set httpsOnly: true.");

        var settings = SettingsOf(app, violations);
        var planId = AsText(Property(p, "serverFarmId"));
        var plan = OfType(resources, "Microsoft.Web/serverfarms").FirstOrDefault(f => f.IdText == planId);
        var sku = Property(plan?.Body, "sku") as JsonObject;
        var (skuName, tier) = (AsText(Property(sku, "name")), AsText(Property(sku, "tier")));
        if (plan is not null && !(TryGetBool(Property(plan.Properties, "reserved"), out var linux) && linux))
            violations.Add("The Functions app's plan must be a Linux plan (reserved: true).");
        if (!(AsText(Property(app.Body, "kind")) ?? "").Contains("linux", StringComparison.OrdinalIgnoreCase))
            violations.Add("The Functions app must be a Linux app (kind functionapp,linux).");

        if (plan is not null && skuName == "FC1" && tier == FlexConsumption)
            deploymentContainer = CheckFlexConsumption(app, accounts, identityId, settings, violations);
        else if (plan is not null && tier == ElasticPremium && ElasticPremiumSkus.Contains(skuName))
            deploymentContainer = CheckElasticPremium(app, plan, accounts, identityId, settings, violations);
        else
            violations.Add($"The Functions app must run on a plan declared in the template: Flex Consumption (sku FC1, tier {FlexConsumption}) or Elastic Premium (sku EP1-EP3, tier {ElasticPremium}); it is {Describe(sku)}.");

        if (identityId is not null && AsText(Property(p, "keyVaultReferenceIdentity")) != identityId)
            violations.Add("keyVaultReferenceIdentity must be the app's user-assigned identity, or Key Vault references cannot resolve.");

        CheckSettings(settings, identityId, accounts, vaults, resources, required, violations);
        CheckGateway(resources, app, settings, violations);
        return app;
    }

    /// <summary>
    /// The optional API Management gateway: a tier offered in both clouds, every route passed through
    /// without a subscription key, the rate limits the design asks for, no body read or logged, and the
    /// app reachable only through it (or else no client-address header the app would believe).
    /// </summary>
    private static void CheckGateway(IReadOnlyList<ArmResource> resources, ArmResource app, Dictionary<string, string> settings, List<string> violations)
    {
        var siteConfig = Property(app.Properties, "siteConfig") as JsonObject;
        var restrictions = (Property(siteConfig, "ipSecurityRestrictions") as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        var defaultAction = AsText(Property(siteConfig, "ipSecurityRestrictionsDefaultAction"));
        settings.TryGetValue(ClientAddressHeaderSetting, out var header);
        var services = OfType(resources, ApiManagementType);

        if (services.Count == 0)
        {
            if (!string.IsNullOrEmpty(header))
                violations.Add($"App setting {ClientAddressHeaderSetting} is '{header}' but no gateway fronts the app: any caller could write that header and pick the address the app's limits count.");
            if (defaultAction == "Deny")
                violations.Add("The app denies by default but no gateway fronts it: nobody could reach it.");
            return;
        }

        foreach (var service in services)
        {
            var sku = AsText(Property(Property(service.Body, "sku") as JsonObject, "name"));
            if (!ClassicGatewayTiers.Contains(sku))
                violations.Add($"API Management '{service.NameText}' is {Describe(Property(service.Body, "sku"))}; use a classic tier offered in both clouds with a static public address: {string.Join(", ", ClassicGatewayTiers)}.");
        }

        var apis = OfType(resources, "Microsoft.ApiManagement/service/apis");
        if (apis.Count != 1)
            violations.Add($"Expected one API on the gateway, found {apis.Count}.");
        foreach (var api in apis)
        {
            if (!(TryGetBool(Property(api.Properties, "subscriptionRequired"), out var keyed) && !keyed))
                violations.Add($"The gateway API '{api.LeafName}' must set subscriptionRequired: false: the mini-program holds no API Management key.");
            var serviceUrl = AsText(Property(api.Properties, "serviceUrl")) ?? "";
            if (!serviceUrl.StartsWith("https://", StringComparison.Ordinal) || !serviceUrl.Contains(".defaultHostName", StringComparison.Ordinal))
                violations.Add($"The gateway API must forward over HTTPS to the app's default host name (serviceUrl is '{serviceUrl}').");
        }
        var methods = OfType(resources, "Microsoft.ApiManagement/service/apis/operations")
            .Where(o => AsText(Property(o.Properties, "urlTemplate")) == "/*")
            .Select(o => AsText(Property(o.Properties, "method")))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var method in new[] { "GET", "POST", "DELETE" })
        {
            if (!methods.Contains(method))
                violations.Add($"The gateway API must pass {method} /* through to the app.");
        }

        var policy = string.Concat(OfType(resources, "Microsoft.ApiManagement/service/apis/policies").Select(p => AsText(Property(p.Properties, "value"))));
        var limits = RateLimitByKey().Matches(policy).Select(m => m.Value).ToList();
        if (!policy.Contains("EndsWith(\"/sessions\"", StringComparison.Ordinal) || !limits.Any(l => l.Contains("\"sessions|\" + context.Request.IpAddress", StringComparison.Ordinal)))
            violations.Add("The gateway policy must limit POST /api/sessions per client address (rate-limit-by-key on context.Request.IpAddress).");
        if (!policy.Contains("EndsWith(\"/signups\"", StringComparison.Ordinal) || !limits.Any(l => l.Contains("\"signups|\" + context.Request.IpAddress", StringComparison.Ordinal)))
            violations.Add("The gateway policy must limit POST /api/signups per client address (rate-limit-by-key on context.Request.IpAddress).");
        if (!limits.Any(l => l.Contains("\"Authorization\"", StringComparison.Ordinal)))
            violations.Add("The gateway policy must limit POST /api/signups per session token (rate-limit-by-key on the Authorization header).");
        foreach (var unknown in PolicyPlaceholder().Matches(policy).Select(m => m.Value).Distinct())
            violations.Add($"The gateway policy still holds the placeholder {unknown}.");
        foreach (var reads in new[] { "context.Request.Body", "log-to-eventhub", "trace" })
        {
            if (policy.Contains(reads, StringComparison.Ordinal))
                violations.Add($"The gateway policy uses {reads}: request bodies carry personal data and must not be read or logged there.");
        }

        if (defaultAction != "Deny")
            violations.Add($"With a gateway in front, the app must deny other callers (ipSecurityRestrictionsDefaultAction: Deny; is {(defaultAction is null ? "not set" : $"'{defaultAction}'")}), or its limits can be walked around.");
        if (restrictions.Count == 0 || !restrictions.All(r => AsText(Property(r, "action")) == "Allow" && (AsText(Property(r, "ipAddress")) ?? "").Contains("publicIpAddresses", StringComparison.OrdinalIgnoreCase)))
            violations.Add("With a gateway in front, the app's access restrictions must allow exactly the gateway's public addresses.");
        if (string.IsNullOrEmpty(header) || !policy.Contains($"<set-header name=\"{header}\" exists-action=\"override\">", StringComparison.Ordinal))
            violations.Add($"App setting {ClientAddressHeaderSetting} must name the header the gateway overwrites with the caller's address (is '{header}').");
    }

    /// <summary>Flex Consumption: runtime, scale and deployment storage in functionAppConfig. Returns the deployment container.</summary>
    private static string? CheckFlexConsumption(ArmResource app, List<ArmResource> accounts, string? identityId, Dictionary<string, string> settings, List<string> violations)
    {
        var config = Property(app.Properties, "functionAppConfig") as JsonObject;
        var runtime = Property(config, "runtime") as JsonObject;
        if (AsText(Property(runtime, "name")) != "dotnet-isolated" || AsText(Property(runtime, "version")) != "10.0")
            violations.Add($"functionAppConfig.runtime must be dotnet-isolated 10.0 (is {Describe(Property(runtime, "name"))} {Describe(Property(runtime, "version"))}).");
        var scale = Property(config, "scaleAndConcurrency") as JsonObject;
        if (Property(scale, "instanceMemoryMB") is null || Property(scale, "maximumInstanceCount") is null)
            violations.Add("functionAppConfig.scaleAndConcurrency must set instanceMemoryMB and maximumInstanceCount.");
        if (Property(Property(app.Properties, "siteConfig") as JsonObject, "linuxFxVersion") is { } fx)
            violations.Add($"siteConfig.linuxFxVersion is not allowed on Flex Consumption (functionAppConfig.runtime carries it); it is {Describe(fx)}.");

        var storage = Property(Property(config, "deployment") as JsonObject, "storage") as JsonObject;
        var authentication = Property(storage, "authentication") as JsonObject;
        if (AsText(Property(authentication, "type")) != "UserAssignedIdentity" || identityId is null
            || AsText(Property(authentication, "userAssignedIdentityResourceId")) != identityId)
            violations.Add("The deployment storage must authenticate as the app's user-assigned identity.");
        var packageUrl = AsText(Property(storage, "value")) ?? "";
        var afterHoles = packageUrl[(packageUrl.LastIndexOf(HoleClose) + 1)..];
        var container = afterHoles[(afterHoles.LastIndexOf('/') + 1)..];
        if (AsText(Property(storage, "type")) != "blobContainer" || container.Length == 0 || !accounts.Any(a => packageUrl.Contains(Inner(a.IdText), StringComparison.Ordinal)))
            violations.Add($"The deployment storage must be a blob container in the pipeline's storage account (is '{packageUrl}').");

        foreach (var name in settings.Keys)
        {
            if (SettingsFlexRejects.Contains(name, StringComparer.OrdinalIgnoreCase))
                violations.Add($"App setting {name} is not allowed on Flex Consumption (functionAppConfig carries it).");
        }
        return container;
    }

    /// <summary>
    /// Elastic Premium without the Azure Files content share (it needs an account key): the runtime from
    /// siteConfig and app settings, the package run from a blob in the pipeline's account, read with the
    /// app's identity. Returns the package's container.
    /// </summary>
    private static string? CheckElasticPremium(ArmResource app, ArmResource plan, List<ArmResource> accounts, string? identityId, Dictionary<string, string> settings, List<string> violations)
    {
        if (Property(app.Properties, "functionAppConfig") is { } config)
            violations.Add($"functionAppConfig is Flex Consumption's; an Elastic Premium app must not set it (is {Describe(config)}).");
        if (AsText(Property(plan.Body, "kind")) != "elastic")
            violations.Add($"An Elastic Premium plan must be of kind 'elastic' (is {Describe(Property(plan.Body, "kind"))}).");
        if (Property(plan.Properties, "maximumElasticWorkerCount") is null)
            violations.Add("The Elastic Premium plan must set maximumElasticWorkerCount (its burst limit).");
        var siteConfig = Property(app.Properties, "siteConfig") as JsonObject;
        if (AsText(Property(siteConfig, "linuxFxVersion")) != PremiumRuntime)
            violations.Add($"siteConfig.linuxFxVersion must be '{PremiumRuntime}' on Elastic Premium (is {Describe(Property(siteConfig, "linuxFxVersion"))}).");

        void Expect(string name, string value)
        {
            if (!settings.TryGetValue(name, out var actual) || actual != value)
                violations.Add($"App setting {name} must be '{value}' on Elastic Premium (is {(actual is null ? "not set" : $"'{actual}'")}).");
        }
        Expect("FUNCTIONS_WORKER_RUNTIME", "dotnet-isolated");
        Expect("FUNCTIONS_EXTENSION_VERSION", "~4");
        foreach (var name in ContentShareSettings)
        {
            if (settings.ContainsKey(name))
                violations.Add($"App setting {name} is Elastic Premium's Azure Files content share, which needs an account key; run from a package blob read with the app's identity instead.");
        }

        settings.TryGetValue("WEBSITE_RUN_FROM_PACKAGE", out var packageUrl);
        packageUrl ??= "";
        var afterHoles = packageUrl[(packageUrl.LastIndexOf(HoleClose) + 1)..];
        var path = afterHoles.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (!accounts.Any(a => packageUrl.StartsWith($"{HoleOpen}reference({Inner(a.IdText)}", StringComparison.Ordinal))
            || !packageUrl.Contains($".primaryEndpoints.blob{HoleClose}", StringComparison.Ordinal)
            || path.Length != 2 || !path[1].EndsWith(".zip", StringComparison.Ordinal) || packageUrl.Contains('?', StringComparison.Ordinal))
            violations.Add($"WEBSITE_RUN_FROM_PACKAGE must be a .zip blob in a container of the pipeline's storage account, without a SAS (is '{packageUrl}').");
        if (!settings.TryGetValue("WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID", out var packageIdentity) || identityId is null || packageIdentity != identityId)
            violations.Add("WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID must be the app's user-assigned identity, so the package is read without a key or SAS.");
        return path.Length == 2 ? path[0] : null;
    }

    private static Dictionary<string, string> SettingsOf(ArmResource app, List<string> violations)
    {
        var list = Property(Property(app.Properties, "siteConfig") as JsonObject, "appSettings") as JsonArray ?? [];
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var setting in list.OfType<JsonObject>())
        {
            var name = AsText(Property(setting, "name")) ?? "";
            if (!settings.TryAdd(name, AsText(Property(setting, "value")) ?? ""))
                violations.Add($"App setting {name} is set twice.");
        }
        if (list.Count == 0)
            violations.Add("The Functions app's app settings could not be read as a list.");
        return settings;
    }

    private static void CheckSettings(
        Dictionary<string, string> settings,
        string? identityId,
        List<ArmResource> accounts,
        List<ArmResource> vaults,
        IReadOnlyList<ArmResource> resources,
        ArmRequirements required,
        List<string> violations)
    {
        foreach (var setting in required.Settings.Concat(required.IdentityStorageSettings))
        {
            if (!settings.ContainsKey(ArmRequirements.AzureName(setting)))
                violations.Add($"App setting {ArmRequirements.AzureName(setting)} is missing (the code reads {setting}).");
        }

        foreach (var secret in required.SecretSettings)
        {
            if (settings.TryGetValue(ArmRequirements.AzureName(secret), out var value) && !IsVaultReference(value, vaults))
                violations.Add($"App setting {ArmRequirements.AzureName(secret)} holds a secret and must be a Key Vault reference to a vault in the template (is '{value}').");
        }

        foreach (var name in settings.Keys)
        {
            if (name.Equals(StorageAccount.Setting, StringComparison.OrdinalIgnoreCase))
                violations.Add($"App setting {name} is a connection string; use the identity-based {StorageAccount.Setting}__* settings.");
            if (LocalOnlySettings.Any(local => ArmRequirements.AzureName(local).Equals(name, StringComparison.OrdinalIgnoreCase)))
                violations.Add($"App setting {name} must not be set in Azure: it tunes the local host only.");
        }
        foreach (var (name, value) in settings)
        {
            if (value.Contains("AccountKey=", StringComparison.OrdinalIgnoreCase) || value.Contains("SharedAccessSignature=", StringComparison.OrdinalIgnoreCase) || value.Contains("sig=", StringComparison.Ordinal))
                violations.Add($"App setting {name} carries a shared key or SAS; the app reaches storage with its identity only.");
        }
        if (!settings.TryGetValue("AZURE_AUTHORITY_HOST", out var authority) || authority != $"{HoleOpen}environment().authentication.loginEndpoint{HoleClose}")
            violations.Add($"AZURE_AUTHORITY_HOST must be environment().authentication.loginEndpoint, the cloud's own Entra ID authority (is {(authority is null ? "not set" : $"'{authority}'")}).");

        if (settings.TryGetValue("AzureWebJobsStorage__credential", out var credential) && credential != "managedidentity")
            violations.Add($"AzureWebJobsStorage__credential must be 'managedidentity' (is '{credential}').");
        if (settings.TryGetValue("AzureWebJobsStorage__clientId", out var clientId) && (identityId is null || !RefersTo(clientId, identityId, "clientId")))
            violations.Add($"AzureWebJobsStorage__clientId must be the app identity's client id (is '{clientId}').");
        foreach (var service in new[] { "blob", "queue", "table" })
        {
            var name = $"AzureWebJobsStorage__{service}ServiceUri";
            if (settings.TryGetValue(name, out var uri) && !accounts.Any(a => uri.Contains(Inner(a.IdText), StringComparison.Ordinal) && uri.EndsWith($".primaryEndpoints.{service}{HoleClose}", StringComparison.Ordinal)))
                violations.Add($"{name} must be the {service} endpoint of the storage account in the template (is '{uri}').");
        }

        // Its ingestion and live endpoints differ between clouds, so it must be the component's own.
        if (!settings.TryGetValue("APPLICATIONINSIGHTS_CONNECTION_STRING", out var telemetry))
            violations.Add("App setting APPLICATIONINSIGHTS_CONNECTION_STRING is missing.");
        else if (!OfType(resources, AppInsightsType).Any(c => RefersTo(telemetry, c.IdText, "ConnectionString")))
            violations.Add($"APPLICATIONINSIGHTS_CONNECTION_STRING must be the ConnectionString of the Application Insights component in the template (is '{telemetry}').");
        var entraOnly = OfType(resources, AppInsightsType).Any(c => TryGetBool(Property(c.Properties, "DisableLocalAuth"), out var off) && off);
        if (entraOnly)
        {
            var expected = identityId is null ? null : $"ClientId={HoleOpen}reference({Inner(identityId)}";
            if (!settings.TryGetValue("APPLICATIONINSIGHTS_AUTHENTICATION_STRING", out var auth) || expected is null
                || !auth.StartsWith(expected, StringComparison.Ordinal) || !auth.EndsWith(".clientId" + HoleClose + ";Authorization=AAD", StringComparison.Ordinal))
                violations.Add("Application Insights accepts Entra auth only, so APPLICATIONINSIGHTS_AUTHENTICATION_STRING must be 'ClientId=<app identity client id>;Authorization=AAD'.");
        }
    }

    private static bool IsVaultReference(string value, List<ArmResource> vaults) =>
        value.StartsWith(KeyVaultReference, StringComparison.Ordinal) && value.EndsWith(')')
        && value.Contains("SecretName=", StringComparison.Ordinal)
        && vaults.Any(v => value.Contains($"VaultName={v.NameText};", StringComparison.Ordinal));

    private static void CheckRoles(IReadOnlyList<ArmResource> resources, IEnumerable<RequiredRole> roles, string identityId, List<string> violations)
    {
        var assignments = OfType(resources, "Microsoft.Authorization/roleAssignments");
        foreach (var role in roles)
        {
            var scopes = OfType(resources, role.ScopeType).Select(r => r.IdText).ToHashSet();
            var granted = assignments.Any(a =>
                !a.Conditional
                && (AsText(Property(a.Properties, "roleDefinitionId")) ?? "").Contains(role.DefinitionId, StringComparison.OrdinalIgnoreCase)
                && RefersTo(AsText(Property(a.Properties, "principalId")) ?? "", identityId, "principalId")
                && scopes.Contains(AsText(Property(a.Body, "scope")) ?? ""));
            if (!granted)
                violations.Add($"The app identity is not assigned {role.Name} ({role.DefinitionId}) on the {role.ScopeType} in the template.");
        }
    }

    private static void CheckNames(string what, List<ArmResource> declared, IReadOnlyCollection<string> expected, List<string> violations)
    {
        var names = declared.Select(d => d.LeafName).ToList();
        foreach (var missing in expected.Except(names, StringComparer.Ordinal))
            violations.Add($"{what} '{missing}' that the code uses is not declared.");
        foreach (var extra in names.Except(expected, StringComparer.Ordinal))
            violations.Add($"{what} '{extra}' is declared but the code does not use it.");
        foreach (var twice in names.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1))
            violations.Add($"{what} '{twice.Key}' is declared {twice.Count()} times.");
    }

    /// <summary>Whether a value is <c>reference(&lt;identity&gt;, ...).&lt;property&gt;</c> of the given identity.</summary>
    private static bool RefersTo(string value, string identityId, string property) =>
        IsWholeHole(JsonValue.Create(value), out var expression)
        && expression.StartsWith($"reference({Inner(identityId)}", StringComparison.Ordinal)
        && expression.EndsWith("." + property, StringComparison.Ordinal);

    private static string Inner(string hole) => IsWholeHole(JsonValue.Create(hole), out var expression) ? expression : hole;

    private static string Describe(JsonNode? value) => value is null ? "not set" : value.ToJsonString();

    [GeneratedRegex(@"<rate-limit-by-key\b[^>]*?/>", RegexOptions.Singleline)]
    private static partial Regex RateLimitByKey();

    [GeneratedRegex(@"__[A-Z_]+__")]
    private static partial Regex PolicyPlaceholder();
}
