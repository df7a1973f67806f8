using System.Security.Cryptography;
using HuiminBao.Dashboard;
using Microsoft.AspNetCore.Http;

namespace HuiminBao.Http;

/// <summary>
/// <c>GET /api/openapi.json</c> in both hosts: the committed <c>docs/openapi.json</c>, embedded in
/// this assembly when it is built. The Functions app can't generate the document (it has no
/// endpoint metadata to generate from), so both hosts serve the file the local host generated and
/// a test keeps current; the mini-program team gets the same bytes from either.
/// </summary>
public static class ApiDocument
{
    public const string ResourceName = "HuiminBao.Http.openapi.json";

    private static readonly Lazy<StaticAsset> Asset = new(Load);

    public static byte[] Content => Asset.Value.Content;

    public static IResult ToResult() => new AssetResult(Asset.Value, null);

    private static StaticAsset Load()
    {
        using var stream = typeof(ApiDocument).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{ResourceName} is not embedded; the shared project embeds docs/openapi.json.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var content = copy.ToArray();
        // Revalidated on each use (ETag, 304), so a deployment's new contract is seen at once.
        return new StaticAsset("application/json; charset=utf-8", content, "\"" + Convert.ToHexStringLower(SHA256.HashData(content))[..32] + "\"", "no-cache");
    }
}
