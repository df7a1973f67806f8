using System.Text.Json;
using HuiminBao.DevHost.Azurite;

namespace HuiminBao.DevHost.Configuration;

/// <summary>
/// Reads settings the way <c>func start</c> would: <c>host.json</c> under <c>AzureFunctionsJobHost</c>
/// (so app settings like <c>AzureFunctionsJobHost__extensions__queues__batchSize</c> override it), and
/// the <c>Values</c> of <c>local.settings.json</c> as app settings.
/// </summary>
public static class FunctionsSettings
{
    public const string HostSection = "AzureFunctionsJobHost";

    public static IHostApplicationBuilder AddFunctionsSettings(this IHostApplicationBuilder builder, bool readLocalSettings = true)
    {
        var hostJson = new[] { Path.Combine(AppContext.BaseDirectory, "host.json"), Path.Combine(TryRoot() ?? "", "host.json") }
            .FirstOrDefault(File.Exists);
        var layers = new List<KeyValuePair<string, string?>>();
        if (hostJson is not null)
            layers.AddRange(Flatten(JsonDocument.Parse(File.ReadAllText(hostJson)).RootElement, HostSection));

        var localSettings = !readLocalSettings ? null : new[] { Path.Combine(builder.Environment.ContentRootPath, "local.settings.json"), Path.Combine(TryRoot() ?? "", "local.settings.json") }
            .FirstOrDefault(File.Exists);
        if (localSettings is not null)
        {
            using var document = JsonDocument.Parse(File.ReadAllText(localSettings));
            if (document.RootElement.TryGetProperty("Values", out var values))
            {
                foreach (var value in values.EnumerateObject())
                    layers.Add(new(value.Name.Replace("__", ":", StringComparison.Ordinal), value.Value.ValueKind == JsonValueKind.String ? value.Value.GetString() : value.Value.GetRawText()));
            }
        }

        // Below environment variables and the command line, above appsettings: the Functions precedence.
        var sources = builder.Configuration.Sources;
        var index = sources.ToList().FindIndex(s => s is Microsoft.Extensions.Configuration.EnvironmentVariables.EnvironmentVariablesConfigurationSource);
        var memory = new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = layers };
        if (index < 0)
            sources.Add(memory);
        else
            sources.Insert(index, memory);
        return builder;
    }

    private static IEnumerable<KeyValuePair<string, string?>> Flatten(JsonElement element, string prefix)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    foreach (var pair in Flatten(property.Value, $"{prefix}:{property.Name}"))
                        yield return pair;
                }
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    foreach (var pair in Flatten(item, $"{prefix}:{i++}"))
                        yield return pair;
                }
                break;
            default:
                yield return new(prefix, element.ValueKind == JsonValueKind.String ? element.GetString() : element.GetRawText());
                break;
        }
    }

    private static string? TryRoot()
    {
        try
        {
            return RepositoryRoot.Find();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
