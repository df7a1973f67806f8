using System.Text.Json.Nodes;

namespace HuiminBao.Tests.Infra;

public sealed class BicepLintTests
{
    // The rules whose breach would be a security or correctness bug rather than style.
    private static readonly string[] RulesThatMustBeErrors =
    [
        "no-hardcoded-env-urls",
        "secure-parameter-default",
        "secure-params-in-nested-deploy",
        "secure-secrets-in-params",
        "outputs-should-not-contain-secrets",
        "use-secure-value-for-secure-inputs",
        "protect-commandtoexecute-secrets",
        "use-stable-resource-identifiers",
        "no-unused-params",
        "no-unused-vars",
        "no-hardcoded-location",
        "use-resource-id-functions",
    ];

    [Fact]
    public async Task Bicep_lint_reports_no_errors_or_warnings_in_infra()
    {
        Assert.True(Directory.GetFiles(BicepCli.Infra, "*.bicep", SearchOption.AllDirectories).Length > 1, "infra/ should hold main.bicep and its modules");

        var result = await BicepCli.RunAsync(BicepCli.RepoRoot, "lint", "--pattern", "infra/**/*.bicep");

        Assert.True(result.ExitCode == 0 && result.ErrorsAndWarnings.Count == 0, result.Describe());
    }

    [Fact]
    public async Task Bicep_build_compiles_main_to_an_arm_template_without_diagnostics()
    {
        var result = await BicepCli.RunAsync(BicepCli.Infra, "build", "main.bicep", "--stdout");

        Assert.True(result.ExitCode == 0 && result.ErrorsAndWarnings.Count == 0, result.Describe());
        var template = JsonNode.Parse(result.StdOut)!.AsObject();
        Assert.NotEmpty(ArmTemplate.Resources(template));
    }

    [Fact]
    public void Linter_config_raises_the_security_rules_to_errors()
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(BicepCli.Infra, "bicepconfig.json")))!;
        var core = config["analyzers"]!["core"]!;
        Assert.True(core["enabled"]!.GetValue<bool>());

        foreach (var rule in RulesThatMustBeErrors)
            Assert.True(core["rules"]![rule]?["level"]?.GetValue<string>() == "error", $"{rule} should be an error in infra/bicepconfig.json");
    }

    // Proves the lint test can fail: the same config, on a file that breaks some of its rules, must
    // produce errors this harness sees (a changed output format would otherwise pass silently).
    [Fact]
    public async Task Linter_with_the_infra_config_fails_a_template_that_breaks_its_rules()
    {
        var dir = Directory.CreateTempSubdirectory("huiminbao-lint-");
        try
        {
            File.Copy(Path.Combine(BicepCli.Infra, "bicepconfig.json"), Path.Combine(dir.FullName, "bicepconfig.json"));
            File.WriteAllText(Path.Combine(dir.FullName, "bad.bicep"), """
                param notUsed string

                @secure()
                param adminPassword string = 'P@ssw0rd-default'

                var endpoint = 'https://management.core.windows.net/'

                output leaked string = '${adminPassword}${endpoint}'
                """);

            var result = await BicepCli.RunAsync(dir.FullName, "lint", "bad.bicep");

            Assert.NotEqual(0, result.ExitCode);
            foreach (var rule in new[] { "no-unused-params", "secure-parameter-default", "no-hardcoded-env-urls", "outputs-should-not-contain-secrets" })
                Assert.True(result.ErrorsAndWarnings.Any(d => d.Contains($" : Error {rule}:", StringComparison.Ordinal)), $"{rule} not reported as an error:\n{result.Describe()}");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
