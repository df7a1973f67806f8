using System.Net;
using HuiminBao.LaunchDay.Harness;

namespace HuiminBao.LaunchDay.Load;

/// <summary>
/// What the mini-program does with a refused sign-up: sends the same request again, with the same
/// <c>Idempotency-Key</c>, after <c>Retry-After</c>, until it is accepted. A refusal may come after
/// the sign-up was stored and queued (the enqueue outlived its budget), so the pipeline processes it
/// anyway; the retry turns it into an accepted replay, which is what lets the audit account for
/// every sign-up in storage.
/// </summary>
public static class ClientRetries
{
    private const int Concurrency = 8;
    private const int MaxAttempts = 30;

    /// <summary>Retries every refused request; returns how many were retried and how many never got a 202.</summary>
    public static async Task<(int Retried, int NeverAccepted)> RetryRefusedAsync(PipelineStack stack, SignUpOutcomes outcomes)
    {
        var refused = outcomes.TakeRefused();
        var neverAccepted = 0;
        await Parallel.ForEachAsync(refused, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (signUp, cancellationToken) =>
        {
            for (var attempt = 1; attempt <= MaxAttempts; attempt++)
            {
                var wait = TimeSpan.FromSeconds(2);
                try
                {
                    using var request = PipelineStack.SignUp(stack.Token(signUp.OpenId), signUp.Body, signUp.IdempotencyKey);
                    using var response = await stack.Client.SendAsync(request, cancellationToken);
                    if (response.StatusCode == HttpStatusCode.Accepted && response.Headers.Location is { } location)
                    {
                        outcomes.Accepted(location.OriginalString[(location.OriginalString.LastIndexOf('/') + 1)..]);
                        return;
                    }
                    if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
                        break;
                    wait = response.Headers.RetryAfter?.Delta ?? wait;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                }
                await Task.Delay(wait, cancellationToken);
            }
            Interlocked.Increment(ref neverAccepted);
        });
        return (refused.Count, neverAccepted);
    }
}
