using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using HuiminBao.Domain;
using HuiminBao.Roster;
using HuiminBao.Storage;
using HuiminBao.Tests.Infrastructure;

namespace HuiminBao.Tests.Roster;

/// <summary>
/// A roster bigger than a request to the app may be (Azure Functions takes 100 MB) goes straight to
/// blob storage through a write-only URL, then is imported like any upload. Here the host's request
/// limit is set low so a small file stands in for a 200 MB one.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RosterDropTests(AzuriteFixture azurite)
{
    private const int RequestLimit = 64 * 1024;

    [Fact]
    public async Task A_roster_too_big_for_a_request_is_uploaded_to_storage_and_imported_from_there()
    {
        await using var host = await PipelineHost.StartAsync(azurite, new Dictionary<string, string?> { ["RosterImport:MaxRequestBytes"] = RequestLimit.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var people = new SyntheticRoster(77).People(6_000).ToList();
        var file = RosterFiles.Of(people, new RosterCsvFormat { Gbk = true });
        Assert.True(file.Length > 3 * RequestLimit);

        using var direct = await host.Client.SendAsync(Ops(HttpMethod.Post, "/api/ops/roster-imports", file));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, direct.StatusCode);
        Assert.Contains("roster-drops", (await direct.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var created = await host.Client.SendAsync(Ops(HttpMethod.Post, "/api/ops/roster-drops"));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var drop = await created.Content.ReadFromJsonAsync<JsonElement>();
        var uploadUrl = new Uri(drop.GetProperty("uploadUrl").GetString()!);
        Assert.Contains("sig=", uploadUrl.Query, StringComparison.Ordinal);
        Assert.Contains("sp=cw", uploadUrl.Query, StringComparison.Ordinal);

        // What ops do with curl or azcopy: one PUT of the whole file to the URL, straight to storage.
        using var storageClient = new HttpClient();
        using var put = new HttpRequestMessage(HttpMethod.Put, uploadUrl) { Content = new ByteArrayContent(file) };
        put.Headers.Add("x-ms-blob-type", "BlockBlob");
        using var uploaded = await storageClient.SendAsync(put);
        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        // The URL writes; it doesn't read back, list or delete.
        using var read = await storageClient.GetAsync(uploadUrl);
        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);

        using var started = await host.Client.SendAsync(Ops(HttpMethod.Post, drop.GetProperty("importUrl").GetString()! + "?asOf=2026-03-01"));
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var import = await started.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("drop", import.GetProperty("source").GetString());
        Assert.Equal(file.Length, import.GetProperty("bytes").GetInt64());

        var done = await Eventually.ReturnsAsync(async () =>
        {
            using var status = await host.Client.SendAsync(Ops(HttpMethod.Get, started.Headers.Location!.OriginalString));
            return await status.Content.ReadFromJsonAsync<JsonElement>();
        }, v => v.GetProperty("state").GetString() is "completed" or "failed", TimeSpan.FromSeconds(60), "the dropped roster imported");
        Assert.Equal("completed", done.GetProperty("state").GetString());
        Assert.Equal(people.Count, done.GetProperty("rowsImported").GetInt64());

        // The plain file is gone; what stays is sealed.
        Assert.Empty(await new Azure.Storage.Blobs.BlobContainerClient(host.Storage.ConnectionString, BlobContainers.RosterDrops).GetBlobsAsync().ToListAsync());
        using var again = await host.Client.SendAsync(Ops(HttpMethod.Post, drop.GetProperty("importUrl").GetString()!));
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Theory]
    [InlineData("not-a-drop")]
    [InlineData("0123456789abcdef0123456789abcdef")]
    public async Task An_unknown_drop_is_not_found_and_the_drop_routes_want_the_ops_key(string dropId)
    {
        await using var host = await PipelineHost.StartAsync(azurite, PipelineHost.WithoutListeners);

        using var unknown = await host.Client.SendAsync(Ops(HttpMethod.Post, $"/api/ops/roster-drops/{dropId}/import"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var anonymous = await host.Client.PostAsync("/api/ops/roster-drops", null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(ErrorCodes.OpsKeyRequired, (await anonymous.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    private static HttpRequestMessage Ops(HttpMethod method, string path, byte[]? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("x-functions-key", PipelineHost.OpsKey);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("text/csv");
        }
        return request;
    }
}
