using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using HuiminBao.DevHost;
using HuiminBao.Enrollment.Eligibility;
using HuiminBao.Security;
using HuiminBao.StandIns;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HuiminBao.Tests.Infrastructure;

/// <summary>
/// The local host, built exactly as <c>dotnet run</c> builds it, running in the test process on a
/// free loopback port against its own Azurite account and a loopback WeChat stand-in.
/// </summary>
public sealed class PipelineHost : IAsyncDisposable
{
    public const string OpsKey = "test-ops-key";
    public const string OpsKeyName = "ops-tester";
    public const string AppId = "wxtest0000000001";
    public const string AppSecret = "test-app-secret";
    public const int PlanYear = 2026;

    /// <summary>For tests that look at the queue as intake left it, or drive handlers by hand.</summary>
    public static IDictionary<string, string?> WithoutListeners => new Dictionary<string, string?> { ["DevHost:QueueListeners"] = "false" };

    private readonly WebApplication _app;
    private readonly LoopbackServer _weChatServer;

    private PipelineHost(WebApplication app, LoopbackServer weChatServer, WeChatStandIn weChat, StorageProbe storage, CapturedLogs logs, Uri baseAddress)
    {
        _app = app;
        _weChatServer = weChatServer;
        WeChat = weChat;
        Storage = storage;
        Logs = logs;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress };
    }

    public HttpClient Client { get; }

    public Uri BaseAddress { get; }

    public WeChatStandIn WeChat { get; }

    public StorageProbe Storage { get; }

    public CapturedLogs Logs { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<PipelineHost> StartAsync(
        AzuriteFixture azurite,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null,
        string? connectionString = null,
        IInsuranceLookup? insurance = null)
    {
        var weChat = new WeChatStandIn(AppId, AppSecret);
        var weChatServer = await LoopbackServer.StartAsync(weChat.Map);
        var connection = connectionString ?? azurite.NewAccount();
        var logs = new CapturedLogs();

        var values = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = connection,
            ["WeChat:BaseUrl"] = weChatServer.BaseAddress.ToString().TrimEnd('/'),
            ["WeChat:AppId"] = AppId,
            ["WeChat:AppSecret"] = AppSecret,
            ["Security:IdHashKey"] = DevelopmentKeys.IdHashKey,
            ["Security:DataKey"] = DevelopmentKeys.DataKey,
            ["Security:SessionKey"] = DevelopmentKeys.SessionKey,
            ["Ops:Keys"] = $"{OpsKeyName}:{OpsKey}",
            ["Privacy:ConsentVersions"] = People.Consent,
            ["DevHost:StandIns"] = "false",
            ["Logging:LogLevel:Default"] = "Debug",
            ["Enrollment:PlanYear"] = PlanYear.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // Fast retries so poison tests take seconds, not the production minute.
            ["AzureFunctionsJobHost:extensions:queues:visibilityTimeout"] = "00:00:00.200",
            ["AzureFunctionsJobHost:extensions:queues:maxPollingInterval"] = "00:00:00.250",
            ["DevHost:QueueLease"] = "00:00:05",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            values[key] = value;

        var app = await DevHostApp.CreateAsync(
            ["--urls=http://127.0.0.1:0", "--environment=Development"],
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(values);
                builder.Logging.AddProvider(logs);
            },
            overrides =>
            {
                if (insurance is not null)
                    overrides.AddSingleton<IInsuranceLookup>(insurance);
                services?.Invoke(overrides);
            },
            readLocalSettings: false);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new PipelineHost(app, weChatServer, weChat, new StorageProbe(connection), logs, new Uri(address));
    }

    /// <summary>Logs in as <paramref name="openId"/> through the real session route and WeChat stand-in.</summary>
    public async Task<string> LoginAsync(string openId)
    {
        var code = WeChat.IssueCode(openId);
        using var response = await Client.PostAsJsonAsync("/api/sessions", new { code });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<SessionBody>();
        return body!.Token;
    }

    public Task<HttpResponseMessage> SubmitAsync(string? token, string json, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/signups") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (idempotencyKey is not null)
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        return Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> GetSignUpAsync(string? token, string signUpId)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/signups/{signUpId}");
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return Client.SendAsync(request);
    }

    /// <summary>An ops call with the test's ops key.</summary>
    public Task<HttpResponseMessage> OpsAsync(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("x-functions-key", OpsKey);
        return Client.SendAsync(request);
    }

    public string PersonKey(Person person) =>
        Services.GetRequiredService<KeyedHashes>().PersonKey(HuiminBao.Domain.IdNumber.Normalize(person.IdNumber));

    /// <summary>The person's keys as intake computes them from what the person types.</summary>
    public PersonIdentity Identity(Person person)
    {
        var hashes = Services.GetRequiredService<KeyedHashes>();
        var idNumber = HuiminBao.Domain.IdNumber.Normalize(person.IdNumber);
        return new PersonIdentity(hashes.PersonKey(idNumber), hashes.NameKey(idNumber, person.Name));
    }

    public async Task<System.Text.Json.JsonElement> SignUpStatusAsync(string token, string signUpId)
    {
        using var response = await GetSignUpAsync(token, signUpId);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
    }

    /// <summary>Polls the status endpoint until the sign-up leaves <c>pending</c>.</summary>
    public Task<System.Text.Json.JsonElement> DecidedAsync(string token, string signUpId, TimeSpan? within = null) =>
        Eventually.ReturnsAsync(() => SignUpStatusAsync(token, signUpId), v => v.GetProperty("status").GetString() != "pending", within, $"sign-up {signUpId} decided");

    public async Task<string> SubmitAcceptedAsync(string token, string json, string? idempotencyKey = null)
    {
        using var response = await SubmitAsync(token, json, idempotencyKey);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("signUpId").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _weChatServer.DisposeAsync();
    }

    private sealed record SessionBody(string Token, DateTimeOffset ExpiresAt);
}
