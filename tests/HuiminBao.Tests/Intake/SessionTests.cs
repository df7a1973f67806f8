using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HuiminBao.Security;
using HuiminBao.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace HuiminBao.Tests.Intake;

[Collection(AzuriteCollection.Name)]
public sealed class SessionTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private PipelineHost _host = null!;

    public async Task InitializeAsync() => _host = await PipelineHost.StartAsync(azurite, PipelineHost.WithoutListeners, insurance: new InMemoryInsurance());

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_login_code_becomes_a_two_hour_token_for_its_openid_and_no_session_key()
    {
        var code = _host.WeChat.IssueCode("o-session-1");

        using var response = await _host.Client.PostAsJsonAsync("/api/sessions", new { code });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("session_key", text, StringComparison.OrdinalIgnoreCase);
        var body = JsonDocument.Parse(text).RootElement;
        var expiresAt = body.GetProperty("expiresAt").GetDateTimeOffset();
        Assert.InRange(expiresAt - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(119), TimeSpan.FromMinutes(121));
        var check = _host.Services.GetRequiredService<SessionTokens>().Check("Bearer " + body.GetProperty("token").GetString());
        Assert.Equal("o-session-1", check.OpenId);
        Assert.DoesNotContain(_host.Logs.Lines, l => l.Contains("session_key", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData(40029, 400, "login-code-invalid")]
    [InlineData(45011, 429, "wechat-rate-limited")]
    [InlineData(40226, 502, "wechat-login-failed")]
    public async Task WeChat_refusals_map_to_clear_problems(int errcode, int status, string code)
    {
        _host.WeChat.FailNextLogins(errcode);

        using var response = await _host.Client.PostAsJsonAsync("/api/sessions", new { code = _host.WeChat.IssueCode("o-refused") });

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(code, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_busy_WeChat_is_retried_and_a_code_works_only_once()
    {
        _host.WeChat.FailNextLogins(-1, -1);
        var code = _host.WeChat.IssueCode("o-busy");
        var callsBefore = _host.WeChat.LoginCalls;

        using var ok = await _host.Client.PostAsJsonAsync("/api/sessions", new { code });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(3, _host.WeChat.LoginCalls - callsBefore);

        using var reused = await _host.Client.PostAsJsonAsync("/api/sessions", new { code });
        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        Assert.Equal("login-code-used", (await reused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task WeChat_busy_beyond_the_retries_is_503()
    {
        _host.WeChat.FailNextLogins(-1, -1, -1);
        using var response = await _host.Client.PostAsJsonAsync("/api/sessions", new { code = _host.WeChat.IssueCode("o-very-busy") });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("wechat-unavailable", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("{}", "required")]
    [InlineData("{\"code\":42}", "wrong-type")]
    [InlineData("{\"code\":\"' OR 1=1 --\"}", "login-code-invalid")]
    [InlineData("not json", "malformed-json")]
    [InlineData("{\"code\":\"bad\",\"code\":\"good\"}", "duplicate-field")]
    public async Task Bad_session_requests_are_400(string body, string code)
    {
        using var response = await _host.Client.PostAsync("/api/sessions", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("code").GetString() == code);
    }
}
