using System.Collections.Frozen;
using System.Security.Cryptography;
using HuiminBao.Domain;

namespace HuiminBao.Dashboard;

/// <summary>A file the dashboard serves, with the headers it must carry.</summary>
public sealed record StaticAsset(string ContentType, byte[] Content, string ETag, string CacheControl, string? ContentSecurityPolicy = null);

/// <summary>
/// The ops console's page (<c>GET /api/console/</c>) and its scripts (<c>/api/console/{asset}</c>),
/// behind the console cookie. Everything is embedded in this assembly at build time, ECharts included
/// (copied from npm by the shared project's build), so both hosts serve the same bytes and nothing
/// loads from a CDN at run time. The page has no inline script, so its policy allows scripts from
/// this origin only.
/// </summary>
public sealed class DashboardPage
{
    public const string EChartsAsset = "echarts.min.js";
    public const string ScriptAsset = "dashboard.js";
    private const string PageResource = "dashboard.html";

    private readonly Lazy<FrozenDictionary<string, StaticAsset>> _assets = new(Load);

    /// <param name="asset">Null or empty for the page itself.</param>
    public Outcome<StaticAsset> Get(string? asset) =>
        _assets.Value.TryGetValue(string.IsNullOrEmpty(asset) ? PageResource : asset, out var found) ? found : ApiProblem.NotFound();

    private static FrozenDictionary<string, StaticAsset> Load()
    {
        var page = Read(PageResource);
        var scripts = new Dictionary<string, StaticAsset>(StringComparer.Ordinal)
        {
            [EChartsAsset] = Script(Read(EChartsAsset)),
            [ScriptAsset] = Script(Read(ScriptAsset)),
        };
        const string policy = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        scripts[PageResource] = new StaticAsset("text/html; charset=utf-8", page, ETagOf(page), "no-store", policy);
        return scripts.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static StaticAsset Script(byte[] content) =>
        new("text/javascript; charset=utf-8", content, ETagOf(content), "private, max-age=3600");

    private static byte[] Read(string name)
    {
        using var stream = typeof(DashboardPage).Assembly.GetManifestResourceStream("HuiminBao.Dashboard." + name)
            ?? throw new InvalidOperationException($"Dashboard asset {name} is not embedded; build the shared project (it copies ECharts from node_modules).");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string ETagOf(byte[] content) => "\"" + Convert.ToHexStringLower(SHA256.HashData(content))[..32] + "\"";
}
