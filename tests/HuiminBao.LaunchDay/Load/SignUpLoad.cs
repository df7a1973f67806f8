using System.Diagnostics;
using HuiminBao.LaunchDay.Harness;

namespace HuiminBao.LaunchDay.Load;

/// <summary>
/// Drives <c>POST /api/signups</c>. At a fixed offered rate it is open-loop: request i is due at
/// start + i/rate whether or not earlier ones have answered, and its latency counts from when it was
/// due, so a slow server can't hide its queueing (no coordinated omission). At maximum rate, a fixed
/// number of clients each send their next request as soon as the last one answers. <c>outcomes</c>
/// hears the id of each sign-up answered 202, and each request that wasn't.
/// </summary>
public static class SignUpLoad
{
    public static async Task<LatencyRecorder> OfferedAsync(PipelineStack stack, Func<GeneratedSignUp> next, double perSecond, TimeSpan duration, SignUpOutcomes? outcomes, CancellationToken cancellationToken)
    {
        var recorder = new LatencyRecorder();
        var clock = Stopwatch.StartNew();
        var total = (int)(perSecond * duration.TotalSeconds);
        var inFlight = new List<Task>(total);
        for (var i = 0; i < total && !cancellationToken.IsCancellationRequested; i++)
        {
            var due = TimeSpan.FromSeconds(i / perSecond);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
                await Task.Delay(wait, cancellationToken);
            var signUp = next();
            inFlight.Add(SendAsync(stack, signUp, recorder, clock, due, outcomes));
        }
        await Task.WhenAll(inFlight);
        return recorder;
    }

    public static async Task<LatencyRecorder> MaxRateAsync(PipelineStack stack, Func<GeneratedSignUp> next, int clients, TimeSpan duration, SignUpOutcomes? outcomes, CancellationToken cancellationToken)
    {
        var recorder = new LatencyRecorder();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            while (clock.Elapsed < duration && !cancellationToken.IsCancellationRequested)
                await SendAsync(stack, next(), recorder, clock, clock.Elapsed, outcomes);
        }));
        return recorder;
    }

    private static async Task SendAsync(PipelineStack stack, GeneratedSignUp signUp, LatencyRecorder recorder, Stopwatch clock, TimeSpan due, SignUpOutcomes? outcomes)
    {
        var status = 0;
        try
        {
            using var request = PipelineStack.SignUp(stack.Token(signUp.OpenId), signUp.Body, signUp.IdempotencyKey);
            using var response = await stack.Client.SendAsync(request);
            status = (int)response.StatusCode;
            if (status == 202 && response.Headers.Location is { } location)
                outcomes?.Accepted(location.OriginalString[(location.OriginalString.LastIndexOf('/') + 1)..]);
        }
        catch (HttpRequestException)
        {
        }
        catch (TaskCanceledException)
        {
        }
        if (status != 202)
            outcomes?.Refused(signUp);
        recorder.Record(clock.Elapsed - due, status);
    }
}
