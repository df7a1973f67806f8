using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HuiminBao.LaunchDay.Harness;

namespace HuiminBao.LaunchDay.Fault;

/// <summary>How one sign-up's submission ended.</summary>
public sealed record Submitted(GeneratedSignUp SignUp, string? SignUpId, int? RefusedWith, string? RefusalCode)
{
    public bool Accepted => SignUpId is not null;
}

/// <summary>
/// Submits a sign-up the way the mini-program should: the same request with the same
/// <c>Idempotency-Key</c> again after a dropped connection, a timeout, a 5xx or a 429, until it gets
/// a 202 or a 4xx. Counts every answer, so the run can report what clients went through.
/// </summary>
public sealed class PersistentSubmitter(HttpClient client, TimeSpan giveUpAfter)
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(4);

    private readonly ConcurrentDictionary<string, int> _answers = new(StringComparer.Ordinal);
    private int _retries;

    /// <summary>Attempts by what they got: "202", "503", "connection refused"...</summary>
    public IReadOnlyDictionary<string, int> Answers => _answers;

    public int Retries => Volatile.Read(ref _retries);

    public async Task<Submitted> SubmitAsync(GeneratedSignUp signUp, string token, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var backoff = FirstBackoff;
        for (var attempt = 0; ; attempt++)
        {
            if (attempt > 0)
                Interlocked.Increment(ref _retries);
            TimeSpan? retryAfter = null;
            try
            {
                using var request = PipelineStack.SignUp(token, signUp.Body, signUp.IdempotencyKey);
                using var response = await client.SendAsync(request, cancellationToken);
                var status = (int)response.StatusCode;
                Count(status.ToString(System.Globalization.CultureInfo.InvariantCulture));
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
                    return new Submitted(signUp, body.GetProperty("signUpId").GetString(), null, null);
                }
                if (status is >= 400 and < 500 and not (408 or 429))
                    return new Submitted(signUp, null, status, await ProblemCodeAsync(response, cancellationToken));
                retryAfter = response.Headers.RetryAfter?.Delta;
            }
            catch (HttpRequestException e)
            {
                Count(e.HttpRequestError.ToString());
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Count("timeout");
            }

            if (clock.Elapsed > giveUpAfter)
                return new Submitted(signUp, null, null, "gave-up");
            // Jittered, so the clients a restart let go don't all come back in the same instant.
            var delay = (retryAfter is { } asked && asked < MaxBackoff ? asked : backoff) * (0.5 + Random.Shared.NextDouble());
            await Task.Delay(delay, cancellationToken);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    private void Count(string answer) => _answers.AddOrUpdate(answer, 1, (_, n) => n + 1);

    private static async Task<string?> ProblemCodeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            return problem.TryGetProperty("code", out var code) ? code.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
