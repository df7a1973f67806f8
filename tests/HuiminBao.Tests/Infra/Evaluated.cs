using System.Text.Json.Nodes;
using static HuiminBao.Tests.Infra.ArmExpression;

namespace HuiminBao.Tests.Infra;

/// <summary>
/// A compiled template evaluated for one set of parameter values: its text and the resources it
/// deploys. Properties that Bicep compiles to expressions (the app settings are one array built with
/// concat and if) are plain JSON here, so a test can break them and run the checks again.
/// </summary>
internal sealed record Evaluated(string Text, IReadOnlyList<ArmResource> Resources)
{
    public static Evaluated Of(JsonObject template, IReadOnlyDictionary<string, JsonNode?>? parameters = null) =>
        new(template.ToJsonString(), ArmTemplate.Resources(template, parameters));

    public ArmResource App => Resources.Single(r => r.IsType("Microsoft.Web/sites"));

    public ArmResource Plan => Resources.Single(r => r.IsType("Microsoft.Web/serverfarms"));

    public JsonArray AppSettings => (JsonArray)App.Properties!["siteConfig"]!["appSettings"]!;

    public Dictionary<string, string?> Settings =>
        AppSettings.OfType<JsonObject>().ToDictionary(s => s["name"]!.GetValue<string>(), s => AsText(s["value"]), StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<string> Check() => ArmTemplateChecks.Check(Text, Resources, ArmRequirements.FromCode());
}
