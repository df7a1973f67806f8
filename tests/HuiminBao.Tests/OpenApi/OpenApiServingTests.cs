using System.Net;
using System.Text;
using HuiminBao.DevHost.Azurite;
using HuiminBao.DevHost.OpenApi;
using HuiminBao.Tests.Functions;
using HuiminBao.Tests.Infrastructure;

namespace HuiminBao.Tests.OpenApi;

/// <summary>
/// Both hosts serve the committed document, anonymously and byte for byte, and the local host
/// renders it as a reference page that needs nothing from the internet.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class OpenApiServingTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Both_hosts_serve_the_committed_document_byte_for_byte_without_a_key_or_token()
    {
        var committed = await File.ReadAllBytesAsync(OpenApiDocumentTests.CommittedPath);

        await using (var host = await PipelineHost.StartAsync(azurite))
        {
            using var response = await host.Client.GetAsync("/api/openapi.json");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(committed, await response.Content.ReadAsByteArrayAsync());

            using var revalidate = new HttpRequestMessage(HttpMethod.Get, "/api/openapi.json");
            revalidate.Headers.IfNoneMatch.Add(response.Headers.ETag!);
            using var notModified = await host.Client.SendAsync(revalidate);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        }

        await using var functions = await FunctionsAppHost.StartAsync(azurite);
        var answered = await functions.HttpAsync("GetOpenApi", "GET", "/api/openapi.json");
        Assert.Equal(200, answered.Status);
        Assert.StartsWith("application/json", answered.Headers.ContentType.ToString(), StringComparison.Ordinal);
        Assert.Equal(Encoding.UTF8.GetString(committed), answered.Body);
    }

    [Fact]
    public async Task The_reference_page_and_its_script_come_from_the_local_host()
    {
        await using var host = await PipelineHost.StartAsync(azurite);

        using var page = await host.Client.GetAsync(ReferencePage.Path + "/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("惠民保接口参考", html, StringComparison.Ordinal);
        // Scalar's loader resolves it against the site's root: /api/openapi.json.
        Assert.Contains("\"url\":\"api/openapi.json\"", html, StringComparison.Ordinal);
        // Its script is a path on this host, not a CDN's URL.
        var script = System.Text.RegularExpressions.Regex.Match(html, "<script[^>]+src=\"([^\"]+)\"").Groups[1].Value;
        Assert.False(Uri.TryCreate(script, UriKind.Absolute, out var absolute) && absolute.Host != host.BaseAddress.Host, script);
        using var served = await host.Client.GetAsync(new Uri(new Uri(host.BaseAddress, ReferencePage.Path + "/"), script));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.True((await served.Content.ReadAsByteArrayAsync()).Length > 100_000, "the reference's bundle is served by the host");
    }

    /// <summary>Headless Chromium with every request off the host refused: the page must still render the document's operations.</summary>
    [Fact]
    public async Task The_reference_page_renders_the_document_with_nothing_from_the_internet()
    {
        await using var host = await PipelineHost.StartAsync(azurite);
        var screenshot = Path.Combine(RepositoryRoot.Find(), "artifacts", "openapi", "reference.png");

        var shown = await BrowserSnapshot.TakeAsync("reference-snapshot.cjs", new Uri(host.BaseAddress, ReferencePage.Path), screenshot, TimeSpan.FromSeconds(120));

        Assert.Empty(shown.GetProperty("offOrigin").EnumerateArray());
        var requests = shown.GetProperty("requests").EnumerateArray().Select(r => r.GetString()!).ToList();
        Assert.Contains(requests, r => r.EndsWith("/api/openapi.json", StringComparison.Ordinal));
        var text = shown.GetProperty("text").GetString()!;
        Assert.Contains("提交投保申请", text, StringComparison.Ordinal);
        Assert.Contains("/api/signups", text, StringComparison.Ordinal);
    }
}
