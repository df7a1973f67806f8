using System.Globalization;
using System.Net.Http.Headers;
using HuiminBao.DevHost.Azurite;
using HuiminBao.Security;
using HuiminBao.StandIns;
using Microsoft.Extensions.Options;

namespace HuiminBao.LaunchDay.Harness;

/// <summary>How to assemble the pipeline for a run.</summary>
public sealed record StackOptions
{
    /// <summary>Queue, table and blob services in their own Node processes, each with its own event loop.</summary>
    public bool SeparateAzuriteProcesses { get; init; } = true;

    /// <summary>On disk, so Azurite can be restarted mid-run without losing data (the fault run).</summary>
    public bool AzuriteOnDisk { get; init; }

    /// <summary>Ask the loopback 医保 service instead of the imported roster.</summary>
    public bool UseYibaoService { get; init; }

    public int PlanYear { get; init; } = 2026;

    /// <summary>Extra DevHost settings, as configuration keys (":"), e.g. host.json overrides.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// The whole pipeline for a launch-day run: Azurite, the loopback WeChat (and optionally 医保)
/// stand-ins, and the local host as a separate process that can be killed and restarted.
/// </summary>
public sealed class PipelineStack : IAsyncDisposable
{
    public const string OpsKey = "launch-day-ops-key";
    private const string AppId = "wxlaunchday000001";
    private const string AppSecret = "launch-day-secret";

    private readonly StackOptions _options;
    private readonly string? _dataDirectory;
    private AzuriteInstance _azurite;
    private readonly LoopbackServer _weChatServer;
    private readonly LoopbackServer? _yibaoServer;
    private readonly SessionTokens _tokens = new(Options.Create(new SecurityOptions
    {
        IdHashKey = DevelopmentKeys.IdHashKey,
        DataKey = DevelopmentKeys.DataKey,
        SessionKey = DevelopmentKeys.SessionKey,
    }), TimeProvider.System);

    private PipelineStack(StackOptions options, string? dataDirectory, AzuriteInstance azurite, WeChatStandIn weChat, LoopbackServer weChatServer, YibaoStandIn? yibao, LoopbackServer? yibaoServer, DevHostProcess host)
    {
        _options = options;
        _dataDirectory = dataDirectory;
        _azurite = azurite;
        WeChat = weChat;
        _weChatServer = weChatServer;
        Yibao = yibao;
        _yibaoServer = yibaoServer;
        Host = host;
        Client = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public WeChatStandIn WeChat { get; }

    /// <summary>Where the WeChat stand-in listens, for a test that calls it directly.</summary>
    public Uri WeChatAddress => _weChatServer.BaseAddress;

    public YibaoStandIn? Yibao { get; }

    public DevHostProcess Host { get; }

    public HttpClient Client { get; }

    public string ConnectionString => _azurite.ConnectionString();

    public int PlanYear => _options.PlanYear;

    public IEnumerable<int> AzuriteProcessIds => _azurite.ProcessIds;

    public static async Task<PipelineStack> StartAsync(StackOptions options)
    {
        var dataDirectory = options.AzuriteOnDisk ? Path.Combine(Path.GetTempPath(), "huiminbao-launchday-" + Guid.NewGuid().ToString("N")[..8]) : null;
        var azurite = await AzuriteLauncher.StartAsync(new AzuriteOptions { SeparateProcesses = options.SeparateAzuriteProcesses, DataDirectory = dataDirectory }, CancellationToken.None);
        var weChat = new WeChatStandIn(AppId, AppSecret);
        var weChatServer = await LoopbackServer.StartAsync(weChat.Map);
        YibaoStandIn? yibao = null;
        LoopbackServer? yibaoServer = null;
        if (options.UseYibaoService)
        {
            yibao = new YibaoStandIn();
            yibaoServer = await LoopbackServer.StartAsync(yibao.Map);
        }

        var settings = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString(),
            ["WeChat:BaseUrl"] = weChatServer.BaseAddress.ToString().TrimEnd('/'),
            ["WeChat:AppId"] = AppId,
            ["WeChat:AppSecret"] = AppSecret,
            ["DevHost:StandIns"] = "false",
            ["Ops:Keys"] = OpsKey,
            ["Privacy:ConsentVersions"] = Households.Consent,
            ["Enrollment:PlanYear"] = options.PlanYear.ToString(CultureInfo.InvariantCulture),
            ["RateLimits:PerClientPerMinute"] = "100000000",
            ["RateLimits:PerOpenIdPerMinute"] = "100000000",
            // Per-request log lines cost CPU the pipeline needs under load; warnings and errors still show.
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
            ["Insurance:Mode"] = options.UseYibaoService ? "http" : "roster",
            ["Insurance:BaseUrl"] = yibaoServer?.BaseAddress.ToString() ?? "",
            ["Insurance:ApiKey"] = yibao?.ApiKey ?? "none",
        };
        foreach (var (key, value) in options.Settings)
            settings[key] = value;
        var host = new DevHostProcess(settings.ToDictionary(p => p.Key.Replace(":", "__", StringComparison.Ordinal), p => p.Value));
        await host.StartAsync();
        return new PipelineStack(options, dataDirectory, azurite, weChat, weChatServer, yibao, yibaoServer, host);
    }

    /// <summary>A bearer token for <paramref name="openId"/>, signed as the host's session route would (development keys).</summary>
    public string Token(string openId) => _tokens.Issue(openId).Token;

    public static HttpRequestMessage Ops(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("x-functions-key", OpsKey);
        return request;
    }

    public static HttpRequestMessage SignUp(string token, string body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/signups") { Content = new StringContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (idempotencyKey is not null)
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        return request;
    }

    /// <summary>
    /// Stops Azurite and starts it again on the same ports and data (disk mode only). It is stopped
    /// with SIGINT, not killed: on disk Azurite keeps its tables and queues in memory and saves them
    /// every 5 s, so a SIGKILL would lose writes it had already acknowledged, which Azure Storage never
    /// does. A restart is the storage outage the pipeline must ride out, not a durability failure.
    /// </summary>
    public async Task RestartAzuriteAsync(TimeSpan downFor)
    {
        if (_dataDirectory is null)
            throw new InvalidOperationException("Restarting Azurite keeps data only in disk mode.");
        var (blob, queue, table) = (_azurite.BlobPort, _azurite.QueuePort, _azurite.TablePort);
        await GracefulStop.InterruptAsync(_azurite.ProcessIds, TimeSpan.FromSeconds(60));
        await _azurite.DisposeAsync();
        await Task.Delay(downFor);
        _azurite = await AzuriteLauncher.StartAsync(new AzuriteOptions
        {
            SeparateProcesses = _options.SeparateAzuriteProcesses,
            DataDirectory = _dataDirectory,
            BlobPort = blob,
            QueuePort = queue,
            TablePort = table,
        }, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
        await _weChatServer.DisposeAsync();
        if (_yibaoServer is not null)
            await _yibaoServer.DisposeAsync();
        await _azurite.DisposeAsync();
        if (_dataDirectory is not null && Directory.Exists(_dataDirectory))
            Directory.Delete(_dataDirectory, recursive: true);
    }
}
