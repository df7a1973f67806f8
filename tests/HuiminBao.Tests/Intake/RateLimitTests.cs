using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HuiminBao.Tests.Infrastructure;

namespace HuiminBao.Tests.Intake;

[Collection(AzuriteCollection.Name)]
public sealed class RateLimitTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task An_openid_over_its_limit_gets_429_problem_with_retry_after_while_others_go_on()
    {
        var settings = PipelineHost.WithoutListeners;
        settings["RateLimits:PerOpenIdPerMinute"] = "3";
        await using var host = await PipelineHost.StartAsync(azurite, settings, insurance: new InMemoryInsurance());
        var greedy = await host.LoginAsync("o-greedy");
        var polite = await host.LoginAsync("o-polite");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await host.GetSignUpAsync(greedy, "doesnotexist");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
                Assert.Equal("rate-limited", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
                Assert.NotNull(response.Headers.RetryAfter);
            }
        }

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests], statuses);
        using var other = await host.GetSignUpAsync(polite, "doesnotexist");
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    [Fact]
    public async Task A_client_address_over_its_limit_gets_429()
    {
        var settings = PipelineHost.WithoutListeners;
        settings["RateLimits:PerClientPerMinute"] = "5";
        await using var host = await PipelineHost.StartAsync(azurite, settings, insurance: new InMemoryInsurance());

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await host.GetSignUpAsync(null, "x");
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.All(statuses.Take(5), s => Assert.Equal(HttpStatusCode.Unauthorized, s));
    }
}
