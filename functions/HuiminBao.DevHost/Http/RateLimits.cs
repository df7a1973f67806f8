using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using HuiminBao.Domain;
using HuiminBao.Http;
using HuiminBao.Security;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace HuiminBao.DevHost.Http;

/// <summary>Limits per client address and per openid (<c>RateLimits:*</c>).</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Generous: on launch day many users share a carrier NAT address.</summary>
    [Range(1, int.MaxValue)]
    public int PerClientPerMinute { get; set; } = 1200;

    /// <summary>A person signs up a household once or twice and polls its status.</summary>
    [Range(1, int.MaxValue)]
    public int PerOpenIdPerMinute { get; set; } = 60;
}

/// <summary>Marks the routes the mini-program calls; only those are rate limited.</summary>
public sealed class MiniProgramRoute;

/// <summary>
/// The ASP.NET Core rate limiter in front of the mini-program routes: a sliding window per client
/// address chained with one per openid (read from the bearer token), answering 429 problem+json.
/// </summary>
public static class RateLimits
{
    public static IHostApplicationBuilder AddRateLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, limits) =>
        {
            var perClient = limits.Value.PerClientPerMinute;
            var perOpenId = limits.Value.PerOpenIdPerMinute;
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context => IsMiniProgram(context)
                    ? Sliding($"ip:{context.Connection.RemoteIpAddress}", perClient)
                    : RateLimitPartition.GetNoLimiter("unlimited")),
                PartitionedRateLimiter.Create<HttpContext, string>(context => IsMiniProgram(context) && OpenId(context) is { } openId
                    ? Sliding($"openid:{openId}", perOpenId)
                    : RateLimitPartition.GetNoLimiter("unlimited")));
            limiter.OnRejected = async (context, _) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(10);
                await ProblemResults.WriteAsync(context.HttpContext, ApiProblem.TooManyRequests(ErrorCodes.RateLimited, retryAfter));
            };
        });
        return builder;
    }

    private static bool IsMiniProgram(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<MiniProgramRoute>() is not null;

    private static string? OpenId(HttpContext context) =>
        context.RequestServices.GetRequiredService<SessionTokens>().Check(context.Request.Headers.Authorization.ToString()).OpenId;

    private static RateLimitPartition<string> Sliding(string key, int perMinute) =>
        RateLimitPartition.GetSlidingWindowLimiter(key, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = perMinute,
            Window = TimeSpan.FromMinutes(1),
            SegmentsPerWindow = 6,
            QueueLimit = 0,
        });
}
