using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using HuiminBao.Domain;

namespace HuiminBao.Dashboard;

/// <summary>A file the dashboard serves, with the headers it must carry.</summary>
public sealed record StaticAsset(string ContentType, byte[] Content, string ETag, string CacheControl, string? ContentSecurityPolicy = null);

/// <summary>
/// <c>GET /api/dashboard</c> (the page) and <c>/api/dashboard/{asset}</c> (its scripts), behind the
/// ops key. Everything is embedded in this assembly at build time, ECharts included (copied from
/// npm by the shared project's build), so both hosts serve the same bytes and nothing loads from a
/// CDN at run time. The page carries the key as <c>?code=</c>, as Azure accepts for function keys,
/// and passes it on to the scripts and the tally fetch; it is served with no-referrer so the key
/// doesn't leak through links.
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
        // The page's one inline script (which adds the key to the script URLs) is allowed by its hash.
        var html = Encoding.UTF8.GetString(page);
        var start = html.IndexOf("<script>", StringComparison.Ordinal) + "<script>".Length;
        var end = html.IndexOf("</script>", start, StringComparison.Ordinal);
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(html[start..end])));
        var policy = $"default-src 'none'; script-src 'self' 'sha256-{hash}'; connect-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
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
