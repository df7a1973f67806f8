using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using HuiminBao.DevHost;
using HuiminBao.Security;
using HuiminBao.StandIns;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server.Features;
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
    public const string AppId = "wxtest0000000001";
    public const string AppSecret = "test-app-secret";

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
        Action<IServiceCollection>? services = null)
    {
        var weChat = new WeChatStandIn(AppId, AppSecret);
        var weChatServer = await LoopbackServer.StartAsync(weChat.Map);
        var connection = azurite.NewAccount();
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
            ["Ops:Keys"] = OpsKey,
            ["DevHost:StandIns"] = "false",
            ["Logging:LogLevel:Default"] = "Debug",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            values[key] = value;

        var app = await DevHostApp.CreateAsync(
            ["--urls=http://127.0.0.1:0", "--environment=Development"],
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(values);
                builder.Logging.AddProvider(logs);
                services?.Invoke(builder.Services);
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

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _weChatServer.DisposeAsync();
    }

    private sealed record SessionBody(string Token, DateTimeOffset ExpiresAt);
}
