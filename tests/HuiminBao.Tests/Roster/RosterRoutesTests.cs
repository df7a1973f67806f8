using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using HuiminBao.Queues;
using HuiminBao.Roster;
using HuiminBao.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace HuiminBao.Tests.Roster;

[Collection(AzuriteCollection.Name)]
public sealed class RosterRoutesTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private PipelineHost _host = null!;

    public async Task InitializeAsync() => _host = await PipelineHost.StartAsync(azurite, PipelineHost.WithoutListeners);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static HttpRequestMessage Upload(byte[] file, string? opsKey = PipelineHost.OpsKey, string contentType = "text/csv")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/ops/roster-imports?asOf=2026-03-01") { Content = new ByteArrayContent(file) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (opsKey is not null)
            request.Headers.Add("x-functions-key", opsKey);
        return request;
    }

    private Task<HttpResponseMessage> GetAsync(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("x-functions-key", PipelineHost.OpsKey);
        return _host.Client.SendAsync(request);
    }

    [Fact]
    public async Task Ops_upload_a_roster_far_larger_than_the_hosts_body_limit_and_follow_it_to_completion()
    {
        var file = RosterFiles.Of(new SyntheticRoster(31).People(8_000), new RosterCsvFormat { Gbk = true });
        Assert.True(file.Length > 4 * 64 * 1024);

        using var response = await _host.Client.SendAsync(Upload(file));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();
        var importId = accepted.GetProperty("importId").GetString()!;
        Assert.Equal($"/api/ops/roster-imports/{importId}", response.Headers.Location!.OriginalString);
        Assert.Equal("queued", accepted.GetProperty("state").GetString());
        Assert.Equal(file.Length, accepted.GetProperty("bytes").GetInt64());

        await HandleQueuedAsync();

        using var status = await GetAsync(response.Headers.Location.OriginalString);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        var view = await status.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("completed", view.GetProperty("state").GetString());
        Assert.Equal(8_000, view.GetProperty("rowsImported").GetInt64());
        Assert.Equal("2026-03-01", view.GetProperty("asOf").GetString());
        using var list = await GetAsync("/api/ops/roster-imports");
        Assert.Equal(importId, (await list.Content.ReadFromJsonAsync<JsonElement>())[0].GetProperty("importId").GetString());
    }

    [Fact]
    public async Task Bad_rows_show_in_the_status_with_their_lines_and_reasons_in_chinese()
    {
        var person = new SyntheticRoster(32).People(1).Single();
        var file = RosterFiles.Gbk($"身份证号,姓名,险种,行政区划,参保状态\r\n{person.IdNumber},{person.Name},职工,410502,正常\r\n{person.IdNumber[..17]}Z,{person.Name},职工,410502,正常\r\n");
        using var response = await _host.Client.SendAsync(Upload(file));
        await HandleQueuedAsync();

        using var status = await GetAsync(response.Headers.Location!.OriginalString);

        var bad = (await status.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("badRows")[0];
        Assert.Equal(3, bad.GetProperty("line").GetInt64());
        Assert.Equal("id-number-format", bad.GetProperty("reason").GetString());
        Assert.Equal("身份证号格式不正确", bad.GetProperty("description").GetString());
    }

    [Fact]
    public async Task Without_the_ops_key_nothing_is_uploaded()
    {
        using var response = await _host.Client.SendAsync(Upload(RosterFiles.Utf8("身份证号,姓名,险种,行政区划,参保状态\n"), opsKey: null));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task A_header_missing_a_column_and_a_wrong_content_type_are_problems_ops_can_read()
    {
        using var header = await _host.Client.SendAsync(Upload(RosterFiles.Gbk("身份证号,姓名,险种\r\n")));
        using var json = await _host.Client.SendAsync(Upload(RosterFiles.Utf8("{}"), contentType: "application/json"));
        using var unknown = await GetAsync("/api/ops/roster-imports/0123456789abcdef0123456789abcdef");

        Assert.Equal(HttpStatusCode.BadRequest, header.StatusCode);
        var problem = await header.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("roster-header-invalid", problem.GetProperty("code").GetString());
        Assert.Equal("缺少列：行政区划、参保状态", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Other_routes_keep_the_64_KiB_body_limit()
    {
        using var response = await _host.SubmitAsync("token", new string(' ', 100 * 1024));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    /// <summary>Stands in for the host's queue listener: hands each roster-imports message to the registered handler.</summary>
    private async Task HandleQueuedAsync()
    {
        var queue = _host.Storage.Queue(QueueNames.RosterImports);
        while ((await queue.ReceiveMessagesAsync(1)).Value is [var message])
        {
            using var scope = _host.Services.CreateScope();
            var body = JsonSerializer.Deserialize(message.Body.ToString(), RosterJson.Default.RosterImportQueued)!;
            await scope.ServiceProvider.GetRequiredService<IQueueHandler<RosterImportQueued>>().HandleAsync(body, QueueDelivery.First(message.MessageId), default);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
        }
    }
}
