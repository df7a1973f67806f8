using System.Text.RegularExpressions;
using HuiminBao.DevHost.Azurite;

namespace HuiminBao.Tests.Architecture;

/// <summary>
/// The shared library's namespaces, read from its <c>using</c> lines (the build refuses unused
/// ones, IDE0005, so they are exactly what each file depends on).
/// </summary>
public sealed partial class NamespaceDependencyTests
{
    /// <summary>ASP.NET Core adapters, and the composition that wires them: the only places allowed to know HTTP.</summary>
    private static readonly HashSet<string> Adapters = ["HuiminBao.Http", "HuiminBao.Hosting"];

    [Fact]
    public void No_feature_namespace_imports_the_http_adapters()
    {
        var offenders = Dependencies()
            .Where(d => d.To == "HuiminBao.Http" && !Adapters.Contains(d.From))
            .Select(d => $"{d.File} ({d.From})")
            .ToList();
        Assert.Empty(offenders);
    }

    [Fact]
    public void The_shared_namespaces_depend_on_each_other_without_cycles()
    {
        var edges = Dependencies().Where(d => d.From != d.To).GroupBy(d => d.From).ToDictionary(g => g.Key, g => g.Select(d => d.To).ToHashSet());
        Assert.True(edges.Count > 10, $"read only {edges.Count} namespaces");
        var cycles = new List<string>();
        foreach (var start in edges.Keys)
        {
            var path = new Stack<string>();
            Visit(start, start, edges, path, new HashSet<string>(), cycles);
        }
        Assert.Empty(cycles.Distinct());
    }

    private static void Visit(string start, string node, Dictionary<string, HashSet<string>> edges, Stack<string> path, HashSet<string> seen, List<string> cycles)
    {
        path.Push(node);
        foreach (var next in edges.GetValueOrDefault(node) ?? [])
        {
            if (next == start)
                cycles.Add(string.Join(" → ", path.Reverse().Append(start)));
            else if (seen.Add(next))
                Visit(start, next, edges, path, seen, cycles);
        }
        path.Pop();
    }

    private static IEnumerable<(string File, string From, string To)> Dependencies()
    {
        var root = Path.Combine(RepositoryRoot.Find(), "shared", "HuiminBao.Shared");
        foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                continue;
            var text = File.ReadAllText(file);
            var ns = Namespace().Match(text);
            if (!ns.Success)
                continue;
            // A sub-namespace (Enrollment.Eligibility) is part of its area.
            var from = Area(ns.Groups[1].Value);
            foreach (Match use in Using().Matches(text))
                yield return (Path.GetRelativePath(root, file), from, Area(use.Groups[1].Value));
        }
    }

    private static string Area(string ns) => string.Join('.', ns.Split('.').Take(2));

    [GeneratedRegex(@"^namespace (HuiminBao[\w.]*);", RegexOptions.Multiline)]
    private static partial Regex Namespace();

    [GeneratedRegex(@"^using (HuiminBao[\w.]*);", RegexOptions.Multiline)]
    private static partial Regex Using();
}
