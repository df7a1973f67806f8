using System.Reflection;
using HuiminBao.DevHost.Azurite;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HuiminBao.Tests.Functions;

/// <summary>
/// Compiles the Azure Functions app's sources with Roslyn against the real shared assembly and the
/// framework, as the Functions build would, except that the Worker SDK (not on this machine's NuGet
/// feed) is missing. Diagnostics about exactly those missing Worker symbols are expected; any other
/// diagnostic is a real defect in the Functions app.
/// </summary>
public static class FunctionsCompilation
{
    /// <summary>Names that only the Worker SDK and its extensions define.</summary>
    private static readonly HashSet<string> WorkerSymbols =
    [
        "Function", "FunctionAttribute", "FunctionContext", "FunctionsApplication",
        "HttpTrigger", "HttpTriggerAttribute", "AuthorizationLevel",
        "QueueTrigger", "QueueTriggerAttribute", "QueueOutput", "QueueOutputAttribute",
        "TimerTrigger", "TimerTriggerAttribute", "TimerInfo",
        "BlobTrigger", "BlobTriggerAttribute",
        "ConfigureFunctionsWebApplication", "ConfigureFunctionsApplicationInsights", "AddApplicationInsightsTelemetryWorkerService",
    ];

    /// <summary>Diagnostic ids for an unresolved name; anything else (wrong arguments, a missing shared method...) always counts.</summary>
    private static readonly HashSet<string> UnresolvedIds = ["CS0246", "CS0234", "CS0103", "CS1061"];

    private static readonly string[] ImplicitUsings =
        ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks"];

    public static string SourceDirectory => Path.Combine(RepositoryRoot.Find(), "functions", "HuiminBao.Functions");

    public static IReadOnlyList<SyntaxTree> ParseSources(IEnumerable<(string Path, string Text)>? extra = null)
    {
        var options = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest);
        var files = Directory.EnumerateFiles(SourceDirectory, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (Path: f, Text: File.ReadAllText(f)))
            .Concat(extra ?? [])
            .Append((Path: "GlobalUsings.g.cs", Text: string.Join('\n', ImplicitUsings.Select(u => $"global using global::{u};"))));
        return [.. files.Select(f => CSharpSyntaxTree.ParseText(f.Text, options, f.Path))];
    }

    public static CSharpCompilation Compile(IReadOnlyList<SyntaxTree> trees) =>
        CSharpCompilation.Create(
            "HuiminBao.Functions",
            trees,
            References(),
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable)
                .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic> { ["CS1701"] = ReportDiagnostic.Suppress, ["CS1702"] = ReportDiagnostic.Suppress }));

    /// <summary>Errors and warnings (warnings are errors in this repo) that are not about the missing Worker SDK.</summary>
    public static IReadOnlyList<Diagnostic> Defects(CSharpCompilation compilation) =>
        [.. compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning && !IsMissingWorkerSymbol(d))];

    private static bool IsMissingWorkerSymbol(Diagnostic diagnostic)
    {
        if (!UnresolvedIds.Contains(diagnostic.Id) || !diagnostic.Location.IsInSource)
            return false;
        var tree = diagnostic.Location.SourceTree!;
        var text = tree.GetText().ToString(diagnostic.Location.SourceSpan);
        if (WorkerSymbols.Contains(text))
            return true;
        // `using Microsoft.Azure.Functions.Worker;` reports the first segment it can't find ("Microsoft.Azure").
        var node = tree.GetRoot().FindNode(diagnostic.Location.SourceSpan);
        var qualified = node.AncestorsAndSelf().OfType<UsingDirectiveSyntax>().FirstOrDefault()?.Name?.ToString() ?? text;
        return qualified.StartsWith("Microsoft.Azure.Functions", StringComparison.Ordinal);
    }

    private static IEnumerable<MetadataReference> References()
    {
        // The framework (runtime and ASP.NET Core shared frameworks) plus everything the test output
        // holds: the shared assembly and its packages, exactly the versions the app would use.
        var framework = new[] { typeof(object).Assembly.Location, typeof(Microsoft.AspNetCore.Http.HttpContext).Assembly.Location }
            .Select(Path.GetDirectoryName)
            .SelectMany(dir => Directory.EnumerateFiles(dir!, "*.dll"));
        var output = Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll")
            .Where(f => !Path.GetFileName(f).StartsWith("HuiminBao.Tests", StringComparison.Ordinal));
        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in framework.Concat(output))
        {
            if (IsManaged(file))
                byName[Path.GetFileName(file)] = file;
        }
        return byName.Values.Select(f => MetadataReference.CreateFromFile(f));
    }

    private static bool IsManaged(string file)
    {
        try
        {
            AssemblyName.GetAssemblyName(file);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
