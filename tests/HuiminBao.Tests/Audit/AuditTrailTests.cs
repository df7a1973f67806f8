using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HuiminBao.Domain;
using HuiminBao.Http;
using HuiminBao.Storage;
using HuiminBao.Tests.Infrastructure;

namespace HuiminBao.Tests.Audit;

/// <summary>Every ops action is attributable: who, which route, which thing, when, and how it ended.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AuditTrailTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Every_ops_route_leaves_a_record_naming_the_key_holder_the_target_and_the_answer()
    {
        await using var host = await PipelineHost.StartAsync(azurite, PipelineHost.WithoutListeners);
        var calls = new (string Method, string Path, HttpStatusCode Expected)[]
        {
            ("GET", "/api/tallies?from=2026-01-01&to=2026-01-31", HttpStatusCode.OK),
            ("GET", "/api/ops/reviews", HttpStatusCode.OK),
            ("POST", "/api/ops/reviews/abcdefghijklmnopqrstuvwx/requeue", HttpStatusCode.NotFound),
            ("GET", "/api/ops/roster-imports", HttpStatusCode.OK),
            ("GET", "/api/ops/roster-imports/0123456789abcdef0123456789abcdef", HttpStatusCode.NotFound),
            ("POST", "/api/ops/roster-drops", HttpStatusCode.OK),
            ("GET", "/api/dashboard", HttpStatusCode.OK),
        };
        foreach (var (method, path, expected) in calls)
        {
            using var answer = await host.Client.SendAsync(Ops(new HttpMethod(method), path));
            Assert.Equal(expected, answer.StatusCode);
        }

        var entries = await EntriesAsync(host);

        Assert.All(entries, e => Assert.Equal(PipelineHost.OpsKeyName, e.GetProperty("caller").GetString()));
        var byRoute = entries.ToLookup(e => e.GetProperty("route").GetString()!);
        Assert.Equal(404, byRoute["RequeueReview"].Single().GetProperty("status").GetInt32());
        Assert.Equal("id=abcdefghijklmnopqrstuvwx", byRoute["RequeueReview"].Single().GetProperty("target").GetString());
        Assert.Equal("id=0123456789abcdef0123456789abcdef", byRoute["GetRosterImport"].Single().GetProperty("target").GetString());
        // The query string is never recorded.
        Assert.Equal("", byRoute["GetTallies"].Single().GetProperty("target").GetString());
        Assert.Equal(200, byRoute["OpenDashboard"].Single().GetProperty("status").GetInt32());
        Assert.Equal(calls.Length, entries.Count(e => e.GetProperty("route").GetString() != ApiRoutes.GetAudit.Name));
        // Newest first.
        var times = entries.Select(e => e.GetProperty("at").GetDateTimeOffset()).ToList();
        Assert.Equal(times.OrderDescending(), times);
    }

    [Fact]
    public async Task A_request_without_a_known_key_is_refused_and_writes_nothing_to_the_audit()
    {
        await using var host = await PipelineHost.StartAsync(azurite, PipelineHost.WithoutListeners);

        using var refused = await host.Client.GetAsync("/api/ops/reviews");
        using var wrongKey = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/ops/audit") { Headers = { { "x-functions-key", "guess" } } });

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        var rows = await host.Storage.Table(TableNames.Audit).QueryAsync<Azure.Data.Tables.TableEntity>().ToListAsync();
        Assert.Empty(rows);
    }

    [Fact]
    public async Task The_audit_holds_no_personal_data_even_when_a_path_carries_some()
    {
        await using var host = await PipelineHost.StartAsync(azurite, PipelineHost.WithoutListeners);
        var person = People.Next();

        using var odd = await host.Client.SendAsync(Ops(HttpMethod.Post, $"/api/ops/reviews/{Uri.EscapeDataString(person.Name + person.IdNumber)}/requeue"));

        var rows = await host.Storage.Table(TableNames.Audit).QueryAsync<Azure.Data.Tables.TableEntity>().ToListAsync();
        var row = Assert.Single(rows);
        var text = string.Join("|", row.Select(p => Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.DoesNotContain(person.IdNumber, text, StringComparison.Ordinal);
        Assert.DoesNotContain(person.Name, text, StringComparison.Ordinal);
        Assert.Equal("id=(unreadable)", row.GetString("Target"));
    }

    [Theory]
    [InlineData("from=2026-03-10&to=2026-03-01", ErrorCodes.DateRangeInverted)]
    [InlineData("from=2026-01-01&to=2026-03-01", ErrorCodes.AuditRangeTooLong)]
    [InlineData("from=yesterday", ErrorCodes.DateInvalid)]
    public async Task A_bad_audit_range_is_a_400_naming_the_field(string query, string code)
    {
        await using var host = await PipelineHost.StartAsync(azurite, PipelineHost.WithoutListeners);

        using var answer = await host.Client.SendAsync(Ops(HttpMethod.Get, "/api/ops/audit?" + query));

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Equal(code, (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors")[0].GetProperty("code").GetString());
    }

    private static async Task<List<JsonElement>> EntriesAsync(PipelineHost host)
    {
        // Records are completed once each response is done: wait for the last one's status.
        return await Eventually.ReturnsAsync(async () =>
        {
            using var audit = await host.Client.SendAsync(Ops(HttpMethod.Get, "/api/ops/audit"));
            return (await audit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("entries").EnumerateArray().ToList();
        }, entries => entries.Where(e => e.GetProperty("route").GetString() != ApiRoutes.GetAudit.Name).All(e => e.TryGetProperty("status", out _)), TimeSpan.FromSeconds(10), "every audited call completed");
    }

    private static HttpRequestMessage Ops(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("x-functions-key", PipelineHost.OpsKey);
        return request;
    }
}
