using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HuiminBao.Queues;
using HuiminBao.Security;
using HuiminBao.Storage;
using HuiminBao.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HuiminBao.Tests.Intake;

/// <summary>Every kind of bad request gets a 4xx problem+json with a stable code, and leaves nothing stored or queued.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class InvalidSignUpTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const int PlanYear = PipelineHost.PlanYear;
    private PipelineHost _host = null!;
    private string _token = "";

    public async Task InitializeAsync()
    {
        _host = await PipelineHost.StartAsync(azurite, PipelineHost.WithoutListeners, insurance: new InMemoryInsurance());
        _token = await _host.LoginAsync("o-invalid-inputs");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public static TheoryData<string, int, string, string> BadBodies()
    {
        var person = People.Next();
        var other = People.Next();
        string With(Action<JsonNode> change)
        {
            var node = JsonNode.Parse(People.SignUpJson(PlanYear, person, (person, "self"), (other, "spouse")))!;
            change(node);
            return node.ToJsonString();
        }
        var badChecksum = person.IdNumber[..17] + (person.IdNumber[17] == '1' ? '2' : '1');
        var household = Enumerable.Range(0, 9).Select(_ => People.Next()).Select(p => new JsonObject { ["name"] = p.Name, ["idNumber"] = p.IdNumber, ["relation"] = "child" });
        return new()
        {
            { "bad checksum", 400, "id-number-checksum", With(n => n["applicant"]!["idNumber"] = badChecksum) },
            { "15-digit ID", 400, "id-number-15-digit", With(n => n["insured"]![1]!["idNumber"] = "410502900101123") },
            { "30 February", 400, "id-number-birth-date", With(n => n["insured"]![1]!["idNumber"] = People.IdNumber("410502", new DateOnly(1990, 2, 28), 7)[..6] + "19900230" + "0071") },
            { "birth date in the future", 400, "id-number-birth-date-future", With(n => n["insured"]![1]!["idNumber"] = People.IdNumber("410502", new DateOnly(2099, 1, 1), 7)) },
            { "bad mobile", 400, "mobile-invalid", With(n => n["applicant"]!["mobile"] = "12800138000") },
            { "mobile with a trailing newline", 400, "mobile-invalid", With(n => n["applicant"]!["mobile"] = "13800138000\n") },
            { "mobile in Arabic-Indic digits", 400, "mobile-invalid", With(n => n["applicant"]!["mobile"] = "1380013800\u0668") },
            { "plan year twice", 400, "duplicate-field", With(_ => { }).Replace($"\"planYear\":{PlanYear}", $"\"planYear\":{PlanYear + 1},\"planYear\":{PlanYear}", StringComparison.Ordinal) },
            { "mobile twice, the last one good", 400, "duplicate-field", With(_ => { }).Replace($"\"mobile\":\"{person.Mobile}\"", $"\"mobile\":\"not a mobile\",\"mobile\":\"{person.Mobile}\"", StringComparison.Ordinal) },
            { "relation twice in the second insured", 400, "duplicate-field", With(_ => { }).Replace("\"relation\":\"spouse\"", "\"relation\":\"spouse\",\"relation\":\"self\"", StringComparison.Ordinal) },
            { "empty household", 400, "household-empty", With(n => n["insured"] = new JsonArray()) },
            { "household of nine", 400, "household-too-large", With(n => n["insured"] = new JsonArray([.. household])) },
            { "same ID twice", 400, "id-number-duplicate", With(n => n["insured"]![1]!["idNumber"] = person.IdNumber) },
            { "unknown relation", 400, "relation-invalid", With(n => n["insured"]![1]!["relation"] = "cousin") },
            { "two selves", 400, "self-more-than-one", With(n => n["insured"]![1]!["relation"] = "self") },
            { "self is not the applicant", 400, "self-mismatch", With(n => n["insured"]![0]!["idNumber"] = other.IdNumber) },
            { "name with markup", 400, "name-invalid", With(n => n["insured"]![1]!["name"] = "<script>alert(1)</script>") },
            { "name with a bidi override", 400, "name-invalid", With(n => n["insured"]![1]!["name"] = "张\u202E三") },
            { "plan year not open", 400, "plan-year-mismatch", With(n => n["planYear"] = PlanYear + 1) },
            { "plan year as a string", 400, "wrong-type", With(n => n["planYear"] = PlanYear.ToString(System.Globalization.CultureInfo.InvariantCulture)) },
            { "insured as an object", 400, "wrong-type", With(n => n["insured"] = new JsonObject()) },
            { "missing applicant", 400, "required", With(n => n.AsObject().Remove("applicant")) },
            { "malformed JSON", 400, "malformed-json", "{\"planYear\": 2026, \"applicant\": {" },
            { "JSON array", 400, "wrong-type", "[1,2,3]" },
            { "deep nesting", 400, "malformed-json", new string('[', 100) + new string(']', 100) },
        };
    }

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_body_is_refused_with_its_code_and_nothing_is_stored(string because, int status, string code, string body)
    {
        using var response = await _host.SubmitAsync(_token, body);

        await AssertProblemAsync(response, status, code, because);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task A_field_named_twice_is_reported_at_its_path()
    {
        var person = People.Next();
        var body = People.SelfSignUp(PlanYear, person).Replace("\"relation\":\"self\"", "\"relation\":\"self\",\"relation\":\"self\"", StringComparison.Ordinal);

        using var response = await _host.SubmitAsync(_token, body);

        var problem = await AssertProblemAsync(response, 400, "duplicate-field", "relation twice");
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal("insured[0].relation", error.GetProperty("field").GetString());
        Assert.Equal("同一字段出现了多次", error.GetProperty("message").GetString());
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Invalid_utf8_is_malformed_json()
    {
        using var request = Request(_token, new ByteArrayContent([(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}']));
        using var response = await _host.Client.SendAsync(request);
        await AssertProblemAsync(response, 400, "malformed-json", "invalid UTF-8");
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Oversized_body_is_413()
    {
        var huge = "{\"planYear\":2026,\"padding\":\"" + new string('x', 200_000) + "\"}";
        using var response = await _host.SubmitAsync(_token, huge);
        await AssertProblemAsync(response, 413, "body-too-large", "200 KB body");

        // Just over the handler's own limit but under Kestrel's.
        using var middling = await _host.SubmitAsync(_token, "{\"planYear\":2026,\"padding\":\"" + new string('x', 20_000) + "\"}");
        await AssertProblemAsync(middling, 413, "body-too-large", "20 KB body");
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Missing_expired_and_forged_tokens_are_401()
    {
        var body = People.SelfSignUp(PlanYear, People.Next());
        var options = (IOptions<SecurityOptions>)_host.Services.GetService(typeof(IOptions<SecurityOptions>))!;
        var past = new FakeTimeProvider(DateTimeOffset.UtcNow - TimeSpan.FromHours(3));
        var expired = new SessionTokens(options, past).Issue("o-invalid-inputs").Token;
        var forged = _token[..^4] + (_token[^4..] == "AAAA" ? "BBBB" : "AAAA");
        var otherKey = new SessionTokens(Options.Create(new SecurityOptions { SessionKey = Convert.ToBase64String(new byte[32]) }), TimeProvider.System).Issue("o-invalid-inputs").Token;

        using var missing = await _host.SubmitAsync(null, body);
        await AssertProblemAsync(missing, 401, "token-missing", "no token");
        using var old = await _host.SubmitAsync(expired, body);
        await AssertProblemAsync(old, 401, "token-expired", "expired token");
        using var tampered = await _host.SubmitAsync(forged, body);
        await AssertProblemAsync(tampered, 401, "token-invalid", "tampered signature");
        using var foreign = await _host.SubmitAsync(otherKey, body);
        await AssertProblemAsync(foreign, 401, "token-invalid", "signed with another key");
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Wrong_content_type_and_bad_idempotency_key_are_refused()
    {
        using var xml = Request(_token, new StringContent("<signup/>", Encoding.UTF8, "application/xml"));
        using var xmlResponse = await _host.Client.SendAsync(xml);
        await AssertProblemAsync(xmlResponse, 415, "unsupported-media-type", "XML body");

        using var badKey = await _host.SubmitAsync(_token, People.SelfSignUp(PlanYear, People.Next()), idempotencyKey: "no spaces allowed ' or 1=1");
        await AssertProblemAsync(badKey, 400, "idempotency-key-invalid", "bad key");
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Every_failing_field_is_listed_at_once()
    {
        var body = """{"planYear":1999,"applicant":{"name":"","idNumber":"123","mobile":"abc"},"insured":[{"name":"李四","idNumber":"410502199001011234","relation":"cousin"}]}""";
        using var response = await _host.SubmitAsync(_token, body);

        var problem = await AssertProblemAsync(response, 400, "validation-failed", "many errors");
        var fields = problem.GetProperty("errors").EnumerateArray().Select(e => $"{e.GetProperty("field").GetString()}:{e.GetProperty("code").GetString()}").ToList();
        Assert.Contains("planYear:plan-year-mismatch", fields);
        Assert.Contains("applicant.name:required", fields);
        Assert.Contains("applicant.idNumber:id-number-format", fields);
        Assert.Contains("applicant.mobile:mobile-invalid", fields);
        Assert.Contains("insured[0].relation:relation-invalid", fields);
        Assert.All(problem.GetProperty("errors").EnumerateArray(), e => Assert.False(string.IsNullOrWhiteSpace(e.GetProperty("message").GetString())));
    }

    private static HttpRequestMessage Request(string token, HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/signups") { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, int status, string code, string because)
    {
        Assert.True((int)response.StatusCode == status, $"{because}: expected {status}, got {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var codes = problem.TryGetProperty("errors", out var errors)
            ? errors.EnumerateArray().Select(e => e.GetProperty("code").GetString()).Append(problem.GetProperty("code").GetString()).ToList()
            : [problem.GetProperty("code").GetString()];
        Assert.True(codes.Contains(code), $"{because}: expected code {code}, got {string.Join(',', codes)}");
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        return problem;
    }

    private async Task AssertNothingStoredAsync()
    {
        var stored = 0;
        await foreach (var _ in _host.Storage.Table(TableNames.SignUps).QueryAsync<Azure.Data.Tables.TableEntity>())
            stored++;
        Assert.Equal(0, stored);
        Assert.Empty((await _host.Storage.Queue(QueueNames.SignUps).PeekMessagesAsync(32)).Value);
    }
}
