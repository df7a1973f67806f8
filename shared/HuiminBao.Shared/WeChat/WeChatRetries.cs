using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace HuiminBao.WeChat;

/// <summary>
/// How every WeChat call is retried: -1 "system busy" is WeChat's own invitation to try again, and
/// so are 5xx answers, dropped connections and timeouts; jittered backoff keeps a busy moment from
/// turning into a synchronised stampede. Each attempt has its own timeout.
/// </summary>
internal static class WeChatRetries
{
    public static ResiliencePipeline Pipeline(TimeSpan attemptTimeout, int maxRetries) => new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder()
                .Handle<WeChatException>(e => e.IsTransient)
                .Handle<HttpRequestException>(e => e.StatusCode is null || (int)e.StatusCode >= 500)
                .Handle<TimeoutRejectedException>(),
            MaxRetryAttempts = maxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(200),
        })
        .AddTimeout(attemptTimeout)
        .Build();
}
