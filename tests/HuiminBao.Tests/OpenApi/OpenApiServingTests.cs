using System.Net;
using System.Text;
using HuiminBao.Tests.Functions;
using HuiminBao.Tests.Infrastructure;

namespace HuiminBao.Tests.OpenApi;

/// <summary>
/// Both hosts serve the committed document, anonymously and byte for byte.
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
}
