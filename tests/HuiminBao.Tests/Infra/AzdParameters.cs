using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace HuiminBao.Tests.Infra;

/// <summary>
/// infra/main.parameters.json filled in as azd fills it from an environment (<c>azd env set NAME value</c>):
/// <c>${NAME}</c> becomes the value (empty when unset), <c>${NAME=default}</c> the value or the default.
/// The values are then typed and validated against the compiled template's parameter declarations, as
/// ARM would, so a deployment's parameters are checked before a template is evaluated with them.
/// </summary>
internal static partial class AzdParameters
{
    public static string ParametersFile => Path.Combine(BicepCli.Infra, "main.parameters.json");

    public static Dictionary<string, JsonNode?> Resolve(JsonObject template, IReadOnlyDictionary<string, string> environment)
    {
        var declared = (JsonObject)template["parameters"]!;
        var file = (JsonObject)JsonNode.Parse(File.ReadAllText(ParametersFile))!["parameters"]!;
        var values = new Dictionary<string, JsonNode?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, parameter) in file)
        {
            var raw = parameter!["value"]!.GetValue<string>();
            var text = Variable().Replace(raw, m =>
                environment.TryGetValue(m.Groups["name"].Value, out var set) ? set
                : m.Groups["default"].Success ? m.Groups["default"].Value
                : "");
            var declaration = declared[name] as JsonObject
                ?? throw new InvalidOperationException($"main.parameters.json sets {name}, which the template does not declare");
            values[name] = Typed(name, text, declaration);
        }
        foreach (var (name, declaration) in declared)
        {
            if (!values.ContainsKey(name) && declaration!["defaultValue"] is null)
                throw new InvalidOperationException($"Parameter {name} has no default and main.parameters.json does not set it");
        }
        return values;
    }

    private static JsonValue Typed(string name, string text, JsonObject declaration)
    {
        var type = declaration["type"]!.GetValue<string>().ToLowerInvariant();
        JsonValue value = type switch
        {
            "int" => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
                ? JsonValue.Create(number)
                : throw new InvalidOperationException($"Parameter {name} is an int, given '{text}'"),
            "bool" => bool.TryParse(text, out var flag)
                ? JsonValue.Create(flag)
                : throw new InvalidOperationException($"Parameter {name} is a bool, given '{text}'"),
            _ => JsonValue.Create(text),
        };

        if (declaration["allowedValues"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
            throw new InvalidOperationException($"Parameter {name} is '{text}', not one of its allowed values {allowed.ToJsonString()}");
        if (declaration["minLength"]?.GetValue<int>() is { } minLength && text.Length < minLength)
            throw new InvalidOperationException($"Parameter {name} is '{text}', shorter than its minimum length {minLength} (is the azd variable set?)");
        if (declaration["maxLength"]?.GetValue<int>() is { } maxLength && text.Length > maxLength)
            throw new InvalidOperationException($"Parameter {name} is longer than its maximum length {maxLength}");
        if (type == "int" && declaration["minValue"]?.GetValue<int>() is { } min && value.GetValue<int>() < min)
            throw new InvalidOperationException($"Parameter {name} is {text}, under its minimum {min}");
        if (type == "int" && declaration["maxValue"]?.GetValue<int>() is { } max && value.GetValue<int>() > max)
            throw new InvalidOperationException($"Parameter {name} is {text}, over its maximum {max}");
        return value;
    }

    [GeneratedRegex(@"\$\{(?<name>[A-Z][A-Z0-9_]*)(=(?<default>[^}]*))?\}")]
    private static partial Regex Variable();
}
