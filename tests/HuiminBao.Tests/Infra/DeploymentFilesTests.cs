using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace HuiminBao.Tests.Infra;

[Collection(InfraCollection.Name)]
public sealed partial class DeploymentFilesTests(CompiledTemplate compiled)
{
    [Fact]
    public void Parameters_file_sets_every_required_parameter_and_only_declared_ones()
    {
        var declared = (JsonObject)compiled.Fresh()["parameters"]!;
        var given = ParametersFile();

        foreach (var (name, declaration) in declared)
        {
            if (declaration!["defaultValue"] is null)
                Assert.True(given.ContainsKey(name), $"main.bicep parameter {name} has no default and main.parameters.json does not set it");
        }
        foreach (var (name, _) in given)
            Assert.True(declared.ContainsKey(name), $"main.parameters.json sets {name}, which main.bicep does not declare");
    }

    // Values come from the azd environment (azd env set NAME value), so nothing city-specific or
    // secret is committed; azd substitutes ${NAME} and ${NAME=default}.
    [Fact]
    public void Parameters_file_takes_every_value_from_the_azd_environment()
    {
        foreach (var (name, parameter) in ParametersFile())
        {
            var value = parameter!["value"]?.GetValue<string>() ?? "";
            Assert.True(AzdVariable().IsMatch(value), $"{name} is '{value}', expected ${{ENV_NAME}} or ${{ENV_NAME=default}}");
        }
    }

    [Fact]
    public void Azure_yaml_provisions_infra_and_deploys_the_functions_project_as_a_function_app()
    {
        var yaml = File.ReadAllText(Path.Combine(BicepCli.RepoRoot, "azure.yaml"));

        Assert.Matches(new Regex(@"^infra:\s*\n(\s{2}\S.*\n)*?\s{2}path: infra\s*$", RegexOptions.Multiline), yaml);
        Assert.Matches(new Regex(@"^infra:\s*\n(\s{2}\S.*\n)*?\s{2}module: main\s*$", RegexOptions.Multiline), yaml);
        var service = Regex.Match(yaml, @"^services:\s*\n\s{2}functions:\s*\n((\s{4}\S.*\n?)+)", RegexOptions.Multiline);
        Assert.True(service.Success, "azure.yaml should declare the service 'functions'");
        var body = service.Groups[1].Value;
        Assert.Matches(new Regex(@"^\s{4}project: \./functions/HuiminBao\.Functions\s*$", RegexOptions.Multiline), body);
        Assert.Matches(new Regex(@"^\s{4}language: dotnet\s*$", RegexOptions.Multiline), body);
        Assert.Matches(new Regex(@"^\s{4}host: function\s*$", RegexOptions.Multiline), body);
    }

    private static JsonObject ParametersFile() =>
        (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(BicepCli.Infra, "main.parameters.json")))!["parameters"]!;

    [GeneratedRegex(@"^\$\{[A-Z][A-Z0-9_]*(=[^}]*)?\}$")]
    private static partial Regex AzdVariable();
}
