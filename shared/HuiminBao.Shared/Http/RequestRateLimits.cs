using System.Threading.RateLimiting;
using HuiminBao.Domain;
using HuiminBao.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace HuiminBao.Http;

/// <summary>
/// The mini-program routes' limits, in both hosts: a sliding window per client address and one per
/// openid (from the bearer token) in each instance, and for the routes whose abuse costs most
/// (<see cref="RouteLimits.Sessions"/>, <see cref="RouteLimits.PerClientAndOpenIdShared"/>) the same
/// limits counted across instances (<see cref="SharedRateCounters"/>).
/// </summary>
public sealed class RequestRateLimits : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan SharedRetryAfter = TimeSpan.FromSeconds(30);

    private readonly RateLimitOptions _options;
    private readonly SessionTokens _tokens;
    private readonly SharedRateCounters _shared;
    private readonly PartitionedRateLimiter<string> _perClient;
    private readonly PartitionedRateLimiter<string> _perOpenId;
    private readonly PartitionedRateLimiter<string> _sessions;

    public RequestRateLimits(IOptions<RateLimitOptions> options, SessionTokens tokens, SharedRateCounters shared)
    {
        _options = options.Value;
        _tokens = tokens;
        _shared = shared;
        _perClient = Sliding(_options.PerClientPerMinute);
        _perOpenId = Sliding(_options.PerOpenIdPerMinute);
        _sessions = Sliding(_options.SessionsPerClientPerMinute);
    }

    public async ValueTask<ApiProblem?> CheckAsync(HttpContext context, ApiRoute route)
    {
        if (route.Limits == RouteLimits.None)
            return null;
        var client = "ip:" + ClientAddress(context);
        if (route.Limits == RouteLimits.Sessions)
            return Local(_sessions, "session|" + client) ?? await SharedAsync("session|" + client, _options.SessionsPerClientPerMinute, context);

        if (Local(_perClient, client) is { } refused)
            return refused;
        // No valid token: the handler answers 401 on its own, with nothing to count per openid.
        var openId = _tokens.Check(context.Request.Headers.Authorization.ToString()).OpenId is { } id ? "openid:" + id : null;
        if (openId is not null && Local(_perOpenId, openId) is { } refusedOpenId)
            return refusedOpenId;
        if (route.Limits != RouteLimits.PerClientAndOpenIdShared)
            return null;
        return await SharedAsync(client, _options.PerClientPerMinute, context)
            ?? (openId is null ? null : await SharedAsync(openId, _options.PerOpenIdPerMinute, context));
    }

    /// <summary>The gateway's header when one fronts the app, else the connection's address.</summary>
    private string ClientAddress(HttpContext context)
    {
        if (_options.ClientAddressHeader is { Length: > 0 } header && context.Request.Headers[header].ToString() is { Length: > 0 } forwarded)
            return forwarded;
        return context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
    }

    private static ApiProblem? Local(PartitionedRateLimiter<string> limiter, string key)
    {
        using var lease = limiter.AttemptAcquire(key);
        if (lease.IsAcquired)
            return null;
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(10);
        return ApiProblem.TooManyRequests(ErrorCodes.RateLimited, retryAfter);
    }

    private async ValueTask<ApiProblem?> SharedAsync(string key, int perMinute, HttpContext context) =>
        await _shared.TryCountAsync(key, perMinute, context.RequestAborted) ? null : ApiProblem.TooManyRequests(ErrorCodes.RateLimited, SharedRetryAfter);

    private static PartitionedRateLimiter<string> Sliding(int perMinute) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetSlidingWindowLimiter(key, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = perMinute,
            Window = Window,
            SegmentsPerWindow = 6,
            QueueLimit = 0,
        }));

    public void Dispose()
    {
        _perClient.Dispose();
        _perOpenId.Dispose();
        _sessions.Dispose();
    }
}
