using System.Reflection;
using System.Text.Json;
using HuiminBao.DevHost.Azurite;

namespace HuiminBao.Tests.Functions;

/// <summary>One function as the Worker SDK's build wrote it into <c>functions.metadata</c>: what the Functions host will bind.</summary>
internal sealed record DeclaredFunction(string Name, string Trigger, string? AuthLevel, string? Method, string? Route, string? Queue, string? Connection, string? Schedule)
{
    public static IReadOnlyList<DeclaredFunction> Read(string metadataPath)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(metadataPath));
        return [.. document.RootElement.EnumerateArray().Select(function =>
        {
            var trigger = function.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("direction").GetString() == "In" && b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));
            string? Text(string name) => trigger.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            var methods = trigger.TryGetProperty("methods", out var verbs) ? verbs.EnumerateArray().Select(v => v.GetString()!.ToUpperInvariant()).Single() : null;
            return new DeclaredFunction(function.GetProperty("name").GetString()!, trigger.GetProperty("type").GetString()!,
                Text("authLevel"), methods, Text("route"), Text("queueName"), Text("connection"), Text("schedule"));
        })];
    }
}

/// <summary>Where the Functions app's build (same configuration as these tests) left its output.</summary>
internal static class FunctionsBuildOutput
{
    public static string Configuration =>
        typeof(FunctionsBuildOutput).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    public static string ProjectDirectory => Path.Combine(RepositoryRoot.Find(), "functions", "HuiminBao.Functions");

    public static string Directory => Path.Combine(ProjectDirectory, "bin", Configuration, "net10.0");

    public static string Metadata => Path.Combine(Directory, "functions.metadata");
}
