using Azure.Data.Tables;
using HuiminBao.Security;
using HuiminBao.StandIns;
using HuiminBao.Storage;
using HuiminBao.Tests.Infrastructure;
using HuiminBao.WeChat;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HuiminBao.Tests.Notifications;

/// <summary>
/// The access token store on a fake clock shared with the WeChat stand-in, as separate instances
/// (separate <see cref="WeChatAccessTokens"/> objects) over one storage account would see it.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class WeChatAccessTokensTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string AppId = "wxtokens000000001";
    private const string AppSecret = "tokens-secret";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 6, 1, 0, 0, TimeSpan.Zero));
    private readonly ServiceProvider _http = new ServiceCollection().AddHttpClient().BuildServiceProvider();
    private WeChatStandIn _weChat = null!;
    private LoopbackServer _server = null!;
    private StorageAccount _storage = null!;

    public async Task InitializeAsync()
    {
        _weChat = new WeChatStandIn(AppId, AppSecret, time: _time);
        _server = await LoopbackServer.StartAsync(_weChat.Map);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [StorageAccount.Setting] = azurite.NewAccount() }).Build();
        _storage = new StorageAccount(configuration, new StorageCallCounter());
        await _storage.Tables.CreateTableIfNotExistsAsync(TableNames.OpsState);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _http.DisposeAsync();
    }

    private WeChatAccessTokens Instance() => new(
        _http.GetRequiredService<IHttpClientFactory>(),
        _storage,
        new PersonalDataCipher(Options.Create(new SecurityOptions { DataKey = DevelopmentKeys.DataKey })),
        Options.Create(new WeChatOptions { BaseUrl = _server.BaseAddress.ToString(), AppId = AppId, AppSecret = AppSecret }),
        _time,
        NullLogger<WeChatAccessTokens>.Instance);

    [Fact]
    public async Task A_token_is_fetched_once_shared_by_instances_and_renewed_in_its_last_five_minutes()
    {
        using var first = Instance();
        using var second = Instance();

        var original = await first.GetAsync(CancellationToken.None);
        Assert.Equal(original, await second.GetAsync(CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(7200 - 301));
        Assert.Equal(original, await first.GetAsync(CancellationToken.None));
        Assert.Equal(1, _weChat.TokenRequests);

        _time.Advance(TimeSpan.FromSeconds(2));
        var renewed = await first.GetAsync(CancellationToken.None);
        Assert.NotEqual(original, renewed);
        Assert.Equal(renewed, await second.GetAsync(CancellationToken.None));
        Assert.Equal(2, _weChat.TokenRequests);
        Assert.Equal(0, _weChat.ForcedTokenRequests);
    }

    [Fact]
    public async Task Concurrent_callers_share_one_fetch()
    {
        using var tokens = Instance();

        var all = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => tokens.GetAsync(CancellationToken.None).AsTask()));

        Assert.Single(all.Distinct());
        Assert.Equal(1, _weChat.TokenRequests);
    }

    [Fact]
    public async Task A_refused_token_is_forced_once_across_instances_and_not_again_within_thirty_seconds()
    {
        using var first = Instance();
        using var second = Instance();
        var original = await first.GetAsync(CancellationToken.None);
        await second.GetAsync(CancellationToken.None);
        _weChat.InvalidateCurrentToken();

        var forced = await first.RefreshAsync(original, WeChatErrors.InvalidCredential, CancellationToken.None);
        Assert.Equal(forced, await second.RefreshAsync(original, WeChatErrors.InvalidCredential, CancellationToken.None));
        Assert.Equal(1, _weChat.ForcedTokenRequests);

        _weChat.InvalidateCurrentToken();
        _time.Advance(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<WeChatTokenUnavailableException>(() => second.RefreshAsync(forced, WeChatErrors.InvalidCredential, CancellationToken.None));
        Assert.Equal(1, _weChat.ForcedTokenRequests);

        _time.Advance(TimeSpan.FromSeconds(21));
        var again = await second.RefreshAsync(forced, WeChatErrors.InvalidCredential, CancellationToken.None);
        Assert.NotEqual(forced, again);
        Assert.Equal(again, await first.RefreshAsync(forced, WeChatErrors.InvalidCredential, CancellationToken.None));
        Assert.Equal(2, _weChat.ForcedTokenRequests);
    }

    [Fact]
    public async Task An_expired_token_is_renewed_in_normal_mode()
    {
        using var tokens = Instance();
        var original = await tokens.GetAsync(CancellationToken.None);
        _weChat.ExpireCurrentToken();

        var renewed = await tokens.RefreshAsync(original, WeChatErrors.AccessTokenExpired, CancellationToken.None);

        Assert.NotEqual(original, renewed);
        Assert.Equal(0, _weChat.ForcedTokenRequests);
    }

    [Fact]
    public async Task The_stored_token_is_sealed()
    {
        using var tokens = Instance();
        var token = await tokens.GetAsync(CancellationToken.None);

        var row = (await _storage.Table(TableNames.OpsState).GetEntityAsync<TableEntity>(AccessTokenRow.Partition, AppId)).Value;

        Assert.DoesNotContain(row, p => p.Value is string s && s.Contains(token, StringComparison.Ordinal));
        Assert.NotEmpty(row.GetString(nameof(AccessTokenRow.SealedToken)));
    }
}
