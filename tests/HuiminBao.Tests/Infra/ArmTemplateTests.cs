using System.Text.Json.Nodes;
using HuiminBao.Hosting;
using HuiminBao.Queues;
using HuiminBao.Storage;

namespace HuiminBao.Tests.Infra;

[Collection(InfraCollection.Name)]
public sealed class ArmTemplateTests(CompiledTemplate compiled)
{
    private const string ReaderRoleId = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
    private static readonly ArmRequirements Code = ArmRequirements.FromCode();

    public static TheoryData<string> Roles() => Data(ArmTemplateChecks.AllRoles.Select(r => r.Name));

    public static TheoryData<string> RequiredSettings() => Data(AppSettings.Required.Concat(AppSettings.IdentityStorage));

    public static TheoryData<string> SecretSettings() => Data(AppSettings.Secrets);

    [Fact]
    public void Compiled_template_passes_every_check()
    {
        var violations = ArmTemplateChecks.Check(compiled.Fresh(), Code);

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public void Template_declares_exactly_the_queues_tables_and_containers_the_code_uses()
    {
        var resources = ArmTemplate.Resources(compiled.Fresh());
        string[] Leaves(string type) => [.. resources.Where(r => r.IsType(type)).Select(r => r.LeafName).Order(StringComparer.Ordinal)];

        Assert.Equal(QueueNames.All.Order(StringComparer.Ordinal), Leaves("Microsoft.Storage/storageAccounts/queueServices/queues"));
        Assert.Equal(TableNames.All.Order(StringComparer.Ordinal), Leaves("Microsoft.Storage/storageAccounts/tableServices/tables"));
        // Besides the code's containers, Flex Consumption's deployment container.
        Assert.Equal(BlobContainers.All.Append("app-package").Order(StringComparer.Ordinal), Leaves("Microsoft.Storage/storageAccounts/blobServices/containers"));
    }

    [Fact]
    public void Every_setting_the_code_reads_is_set_and_every_secret_is_a_key_vault_reference()
    {
        var values = Evaluated.Of(compiled.Fresh()).Settings;

        foreach (var setting in AppSettings.Required.Concat(AppSettings.IdentityStorage))
            Assert.True(values.ContainsKey(ArmRequirements.AzureName(setting)), $"{setting} is not set");
        foreach (var secret in AppSettings.Secrets)
            Assert.StartsWith("@Microsoft.KeyVault(VaultName=kv-", values[ArmRequirements.AzureName(secret)]);
        Assert.Equal("managedidentity", values["AzureWebJobsStorage__credential"]);
    }

    [Fact]
    public void Arm_check_flags_shared_key_access_reenabled()
    {
        var template = compiled.Fresh();
        Properties(Raw(template, "Microsoft.Storage/storageAccounts").Single())["allowSharedKeyAccess"] = true;

        AssertFlags(template, "allowSharedKeyAccess: false");
    }

    [Fact]
    public void Arm_check_flags_shared_key_access_left_to_its_default()
    {
        var template = compiled.Fresh();
        Properties(Raw(template, "Microsoft.Storage/storageAccounts").Single()).Remove("allowSharedKeyAccess");

        AssertFlags(template, "allowSharedKeyAccess: false (it is not set)");
    }

    [Fact]
    public async Task Arm_check_flags_shared_key_access_reenabled_in_the_bicep_source()
    {
        var copy = Directory.CreateTempSubdirectory("huiminbao-infra-");
        try
        {
            CopyDirectory(BicepCli.Infra, copy.FullName);
            var storage = Path.Combine(copy.FullName, "modules", "storage.bicep");
            var source = File.ReadAllText(storage);
            Assert.Contains("allowSharedKeyAccess: false", source, StringComparison.Ordinal);
            File.WriteAllText(storage, source.Replace("allowSharedKeyAccess: false", "allowSharedKeyAccess: true", StringComparison.Ordinal));

            var template = await BicepCli.BuildAsync(Path.Combine(copy.FullName, "main.bicep"));

            AssertFlags(template, "allowSharedKeyAccess: false (it is true)");
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void Arm_check_flags_each_role_replaced_by_another(string roleName)
    {
        var role = ArmTemplateChecks.AllRoles.Single(r => r.Name == roleName);
        var json = compiled.Fresh().ToJsonString();
        Assert.Contains(role.DefinitionId, json, StringComparison.OrdinalIgnoreCase);
        var template = JsonNode.Parse(json.Replace(role.DefinitionId, ReaderRoleId, StringComparison.OrdinalIgnoreCase))!.AsObject();

        AssertFlags(template, $"not assigned {role.Name}");
        Assert.Single(ArmTemplateChecks.Check(template, Code));
    }

    [Fact]
    public void Arm_check_flags_a_role_assignment_dropped_from_the_key_vault_module()
    {
        var template = compiled.Fresh();
        var vaultModule = Templates(template).Single(t => Raw(t, "Microsoft.KeyVault/vaults", nested: false).Any());
        var resources = (JsonArray)vaultModule["resources"]!;
        foreach (var assignment in Raw(vaultModule, "Microsoft.Authorization/roleAssignments", nested: false).ToList())
            resources.Remove(assignment);

        AssertFlags(template, "not assigned Key Vault Secrets User");
    }

    [Fact]
    public void Arm_check_flags_a_storage_role_dropped_from_the_assignment_loop()
    {
        var template = compiled.Fresh();
        var queueRole = ArmTemplateChecks.AppRoles.Single(r => r.Name == "Storage Queue Data Contributor");
        var removed = 0;
        foreach (var variables in Templates(template).Select(t => t["variables"]).OfType<JsonObject>())
        {
            foreach (var list in variables.Select(v => v.Value).OfType<JsonArray>())
            {
                foreach (var entry in list.OfType<JsonObject>().Where(e => e.ToJsonString().Contains(queueRole.DefinitionId, StringComparison.OrdinalIgnoreCase)).ToList())
                {
                    list.Remove(entry);
                    removed++;
                }
            }
        }
        Assert.Equal(1, removed);

        AssertFlags(template, "not assigned Storage Queue Data Contributor");
        Assert.DoesNotContain(ArmTemplateChecks.Check(template, Code), v => v.Contains("Blob Data Owner", StringComparison.Ordinal));
    }

    [Fact]
    public void Arm_check_flags_roles_granted_to_another_principal()
    {
        var template = compiled.Fresh();
        foreach (var assignment in Raw(template, "Microsoft.Authorization/roleAssignments"))
            Properties(assignment)["principalId"] = "11111111-2222-3333-4444-555555555555";

        foreach (var role in ArmTemplateChecks.AllRoles)
            AssertFlags(template, $"not assigned {role.Name}");
    }

    [Fact]
    public void Arm_check_flags_roles_granted_on_the_resource_group_instead_of_the_resource()
    {
        var template = compiled.Fresh();
        foreach (var assignment in Raw(template, "Microsoft.Authorization/roleAssignments"))
            assignment.Remove("scope");

        foreach (var role in ArmTemplateChecks.AllRoles)
            AssertFlags(template, $"not assigned {role.Name}");
    }

    [Theory]
    [MemberData(nameof(RequiredSettings))]
    public void Arm_check_flags_each_missing_app_setting(string setting)
    {
        var evaluated = Evaluated.Of(compiled.Fresh());
        var settings = evaluated.AppSettings;
        Assert.True(settings.Remove(Named(settings, ArmRequirements.AzureName(setting))));

        AssertFlags(evaluated, $"App setting {ArmRequirements.AzureName(setting)} is missing");
    }

    [Theory]
    [MemberData(nameof(SecretSettings))]
    public void Arm_check_flags_a_secret_set_as_a_plain_value(string setting)
    {
        var evaluated = Evaluated.Of(compiled.Fresh());
        Named(evaluated.AppSettings, ArmRequirements.AzureName(setting))!["value"] = "c2VjcmV0LWluLXBsYWluLXNpZ2h0LTMyLWJ5dGVzLWxvbmc=";

        AssertFlags(evaluated, $"App setting {ArmRequirements.AzureName(setting)} holds a secret and must be a Key Vault reference");
    }

    [Fact]
    public void Arm_check_flags_key_vault_references_without_the_reference_identity()
    {
        var template = compiled.Fresh();
        Properties(Raw(template, "Microsoft.Web/sites").Single()).Remove("keyVaultReferenceIdentity");

        AssertFlags(template, "keyVaultReferenceIdentity");
    }

    [Fact]
    public void Arm_check_flags_an_account_key_connection_string()
    {
        var evaluated = Evaluated.Of(compiled.Fresh());
        evaluated.AppSettings.Add(new JsonObject
        {
            ["name"] = "AzureWebJobsStorage",
            ["value"] = "DefaultEndpointsProtocol=https;AccountName=st1;AccountKey=⟨listKeys(resourceId('Microsoft.Storage/storageAccounts', 'st1'), '2024-01-01').keys[0].value⟩",
        });

        AssertFlags(evaluated, "uses storage account keys ('listKeys(')");
        AssertFlags(evaluated, "App setting AzureWebJobsStorage is a connection string");
        AssertFlags(evaluated, "App setting AzureWebJobsStorage carries a shared key or SAS");
    }

    [Fact]
    public void Arm_check_flags_an_account_key_anywhere_in_the_template_text()
    {
        var template = compiled.Fresh();
        template["outputs"]!.AsObject()["leak"] = new JsonObject
        {
            ["type"] = "string",
            ["value"] = "[listKeys(resourceId('Microsoft.Storage/storageAccounts', 'st1'), '2024-01-01').keys[0].value]",
        };

        AssertFlags(template, "uses storage account keys ('listKeys(')");
    }

    [Fact]
    public void Arm_check_flags_settings_flex_consumption_rejects()
    {
        var evaluated = Evaluated.Of(compiled.Fresh());
        evaluated.AppSettings.Add(new JsonObject { ["name"] = "FUNCTIONS_WORKER_RUNTIME", ["value"] = "dotnet-isolated" });

        AssertFlags(evaluated, "FUNCTIONS_WORKER_RUNTIME is not allowed on Flex Consumption");
    }

    [Fact]
    public void Arm_check_flags_a_queue_renamed_away_from_the_code_constant()
    {
        var json = compiled.Fresh().ToJsonString();
        var quoted = $"\"{QueueNames.RosterImports}\"";
        Assert.Contains(quoted, json, StringComparison.Ordinal);
        var template = JsonNode.Parse(json.Replace(quoted, "\"roster-import\"", StringComparison.Ordinal))!.AsObject();

        AssertFlags(template, $"Queue '{QueueNames.RosterImports}' that the code uses is not declared");
        AssertFlags(template, "Queue 'roster-import' is declared but the code does not use it");
    }

    [Fact]
    public void Arm_check_flags_a_key_vault_without_purge_protection()
    {
        var template = compiled.Fresh();
        Properties(Raw(template, "Microsoft.KeyVault/vaults").Single())["enablePurgeProtection"] = false;

        AssertFlags(template, "must enable purge protection");
    }

    [Fact]
    public void Arm_check_flags_a_runtime_other_than_dotnet_isolated_10()
    {
        var evaluated = Evaluated.Of(compiled.Fresh());
        evaluated.App.Properties!["functionAppConfig"]!["runtime"]!["version"] = "8.0";

        AssertFlags(evaluated, "must be dotnet-isolated 10.0");
    }

    [Fact]
    public void Arm_check_flags_a_storage_connection_through_a_system_assigned_identity()
    {
        var evaluated = Evaluated.Of(compiled.Fresh());
        Named(evaluated.AppSettings, "AzureWebJobsStorage__clientId")!["value"] = "";

        AssertFlags(evaluated, "AzureWebJobsStorage__clientId must be the app identity's client id");
    }

    [Fact]
    public void Arm_check_flags_ops_keys_set_in_plain_text_instead_of_a_key_vault_reference()
    {
        var evaluated = Evaluated.Of(compiled.Fresh());
        Named(evaluated.AppSettings, "Ops__Keys")!["value"] = "zhang:k1";

        AssertFlags(evaluated, "Ops__Keys");
    }

    [Fact]
    public void Arm_check_flags_a_local_host_setting_that_reaches_azure()
    {
        var evaluated = Evaluated.Of(compiled.Fresh());
        evaluated.AppSettings.Add(new JsonObject { ["name"] = "DevHost__StandIns", ["value"] = "true" });

        AssertFlags(evaluated, "App setting DevHost__StandIns must not be set in Azure");
    }

    [Fact]
    public void Arm_check_flags_an_authority_host_written_in_rather_than_taken_from_environment()
    {
        var evaluated = Evaluated.Of(compiled.Fresh());
        Named(evaluated.AppSettings, "AZURE_AUTHORITY_HOST")!["value"] = "https://login.partner.microsoftonline.cn/";

        AssertFlags(evaluated, "AZURE_AUTHORITY_HOST must be environment().authentication.loginEndpoint");
        AssertFlags(evaluated, "'microsoftonline.cn', a host of one Azure cloud");
    }

    [Fact]
    public void Arm_check_flags_a_telemetry_connection_string_written_in()
    {
        var evaluated = Evaluated.Of(compiled.Fresh());
        Named(evaluated.AppSettings, "APPLICATIONINSIGHTS_CONNECTION_STRING")!["value"] = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://chinanorth3-0.in.applicationinsights.azure.cn/";

        AssertFlags(evaluated, "APPLICATIONINSIGHTS_CONNECTION_STRING must be the ConnectionString of the Application Insights component");
        AssertFlags(evaluated, "'azure.cn', a host of one Azure cloud");
    }

    private static void AssertFlags(JsonObject template, string expected) => AssertFlags(ArmTemplateChecks.Check(template, Code), expected);

    private static void AssertFlags(Evaluated evaluated, string expected) => AssertFlags(evaluated.Check(), expected);

    internal static void AssertFlags(IReadOnlyList<string> violations, string expected) =>
        Assert.True(
            violations.Any(v => v.Contains(expected, StringComparison.Ordinal)),
            $"Expected a violation containing \"{expected}\"; got:\n{string.Join("\n", violations)}");

    private static TheoryData<string> Data(IEnumerable<string> values)
    {
        var data = new TheoryData<string>();
        foreach (var value in values)
            data.Add(value);
        return data;
    }

    /// <summary>The main template and every module template nested in it.</summary>
    private static IEnumerable<JsonObject> Templates(JsonObject template)
    {
        yield return template;
        foreach (var deployment in Raw(template, "Microsoft.Resources/deployments", nested: false))
        {
            foreach (var inner in Templates((JsonObject)deployment["properties"]!["template"]!))
                yield return inner;
        }
    }

    /// <summary>Resources as written in the compiled JSON (expressions unevaluated), to break them.</summary>
    private static IEnumerable<JsonObject> Raw(JsonObject template, string type, bool nested = true) =>
        (nested ? Templates(template) : [template])
            .SelectMany(t => ((JsonArray)t["resources"]!).OfType<JsonObject>())
            .Where(r => string.Equals(r["type"]!.GetValue<string>(), type, StringComparison.OrdinalIgnoreCase));

    internal static JsonObject? Named(JsonArray settings, string name) =>
        settings.OfType<JsonObject>().SingleOrDefault(s => s["name"]?.GetValue<string>() == name);

    private static JsonObject Properties(JsonObject resource) => (JsonObject)resource["properties"]!;

    private static void CopyDirectory(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }
}
