using System.Collections.Concurrent;
using System.Diagnostics;
using HuiminBao.Domain;
using HuiminBao.LaunchDay.Audit;
using HuiminBao.LaunchDay.Fault;
using HuiminBao.LaunchDay.Harness;
using HuiminBao.Security;
using Microsoft.Extensions.Options;

namespace HuiminBao.LaunchDay.Abuse;

public sealed record AbuseRunOptions
{
    public int Requests { get; init; } = 20_000;

    /// <summary>Other users with real sign-ups, whose ids and captured tokens the attacker uses.</summary>
    public int Victims { get; init; } = 10;

    public int Concurrency { get; init; } = 16;

    public int Seed { get; init; } = 2026;

    /// <summary>Sign-ups of strangers' ID numbers under wrong names (<see cref="StrangerSignUps"/>); by default one per 100 requests.</summary>
    public int? StrangerSignUps { get; init; }
}

/// <summary>
/// Issue 7 item 4: hostile requests against the local host (out of process, as deployed), after a
/// few victims have signed up, and (issue 12) after an attacker signed up strangers' ID numbers under
/// wrong names, which must enroll nobody. Then: no 5xx, nothing answered 2xx, each kind answered as it must be
/// (another user's sign-up is a 404, an ops route without its key a 401...), storage exactly as it
/// was, no response carrying a victim's data, and no plaintext ID number, mobile or name of anyone
/// involved in any table, queue, blob or line the host logged (at Information, the whole run).
/// </summary>
public static class AbuseRun
{
    public static async Task<AbuseRunResult> RunAsync(AbuseRunOptions options, TextWriter log)
    {
        var total = Stopwatch.StartNew();
        await using var stack = await PipelineStack.StartAsync(new StackOptions
        {
            UseYibaoService = true,
            Settings = new Dictionary<string, string>
            {
                // Everything the host would log in production, so the scan covers what ops would see.
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information",
            },
        });

        var (victims, victimPeople) = await SignUpVictimsAsync(stack, options);
        if (!await PipelineDrain.WaitAsync(() => stack.ConnectionString, TimeSpan.FromMinutes(2)))
            throw new InvalidOperationException("The victims' sign-ups were not processed in time.");
        log.WriteLine($"Abuse run: {victims.Count} victims signed up and notified after {total.Elapsed.TotalSeconds:N1} s; local host pid {stack.Host.ProcessId}");
        var strangerPeople = new HostilePeople(options.Seed + 2000);
        var strangers = await StrangerSignUps.RunAsync(stack, strangerPeople, victimPeople, options.StrangerSignUps ?? Math.Max(10, options.Requests / 100), options.Seed, log);
        var before = await StorageSnapshot.TakeAsync(stack.ConnectionString);

        var targets = new HostileTargets(stack.Token("o-attacker"), ForeignToken("o-victim-0"), ExpiredToken("o-attacker"), victims);
        var generator = new HostileRequests(options.Seed, targets, stack.PlanYear);
        var requests = generator.Generate(options.Requests).ToList();
        var victimData = victimPeople.SelectMany(p => p.Secrets.Append(IdNumber.Mask(p.IdNumber))).ToList();

        var answers = new ConcurrentBag<(HostileKind Kind, int Status)>(Enumerable.Repeat((HostileKind.StrangersWithWrongNames, 202), strangers.Accepted));
        var responseLeaks = new ConcurrentBag<string>();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency }, async (hostile, cancellationToken) =>
        {
            try
            {
                using var request = hostile.Build();
                using var response = await stack.Client.SendAsync(request, cancellationToken);
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                answers.Add((hostile.Kind, (int)response.StatusCode));
                foreach (var secret in victimData.Where(s => body.Contains(s, StringComparison.Ordinal)))
                    responseLeaks.Add($"{hostile.Kind} {(int)response.StatusCode}: response contains a victim's '{secret}'");
            }
            catch (HttpRequestException)
            {
                // No answer at all (status 0): the host dropped the connection.
                answers.Add((hostile.Kind, 0));
            }
        });
        var took = clock.Elapsed;
        log.WriteLine($"  {requests.Count:N0} hostile requests answered in {took.TotalSeconds:N1} s");

        var after = await StorageSnapshot.TakeAsync(stack.ConnectionString);
        // Stopped, so the scan may read every queued message and the log is complete.
        await stack.Host.KillAsync();
        var secrets = generator.People.Concat(victimPeople).Concat(strangerPeople.Used).SelectMany(p => p.Secrets).Concat(strangers.WrongNames).Distinct(StringComparer.Ordinal).ToList();
        var leaks = await PlaintextScan.FindAsync(stack.ConnectionString, stack.Host.Output, secrets, everyMessage: true);
        // The control: the victims' sign-up ids are stored and logged, so the same scan must find them.
        var control = await PlaintextScan.FindAsync(stack.ConnectionString, stack.Host.Output, [.. victims.Select(v => v.SignUpId)]);
        log.WriteLine($"  storage and log scanned by {total.Elapsed.TotalSeconds:N1} s");

        return new AbuseRunResult(options, [.. answers], took, StorageSnapshot.Difference(before, after), [.. responseLeaks], leaks, secrets.Count, stack.Host.Output.Count)
        {
            ControlHits = control.Count(h => h.StartsWith("log", StringComparison.Ordinal)),
            Strangers = strangers,
        };
    }

    private static async Task<(IReadOnlyList<(string SignUpId, string Token)> Victims, IReadOnlyList<PlaintextPerson> People)> SignUpVictimsAsync(PipelineStack stack, AbuseRunOptions options)
    {
        var people = new HostilePeople(options.Seed + 1000);
        var submitter = new PersistentSubmitter(stack.Client, TimeSpan.FromMinutes(1));
        var victims = new List<(string, string)>();
        for (var i = 0; i < options.Victims; i++)
        {
            var (applicant, spouse) = (people.Next(), people.Next());
            stack.Yibao!.Insure(applicant.IdNumber, applicant.Name);
            var token = stack.Token($"o-victim-{i}");
            var body = HostilePeople.SignUpJson(stack.PlanYear, applicant, (applicant, "self"), (spouse, "spouse"));
            var submitted = await submitter.SubmitAsync(new GeneratedSignUp(i, $"o-victim-{i}", body, 2, $"victim-{i}"), token, CancellationToken.None);
            victims.Add((submitted.SignUpId ?? throw new InvalidOperationException($"Victim {i} was refused: {submitted.RefusedWith} {submitted.RefusalCode}"), token));
        }
        return (victims, people.Used);
    }

    /// <summary>Well formed, for a real-looking openid, but signed with a key that isn't the host's.</summary>
    private static string ForeignToken(string openId) =>
        new SessionTokens(Options.Create(new SecurityOptions { SessionKey = Convert.ToBase64String(new byte[32]) }), TimeProvider.System).Issue(openId).Token;

    /// <summary>Signed with the host's key three hours ago, so it expired an hour ago.</summary>
    private static string ExpiredToken(string openId) =>
        new SessionTokens(Options.Create(new SecurityOptions { SessionKey = DevelopmentKeys.SessionKey }), new ShiftedTime(TimeSpan.FromHours(-3))).Issue(openId).Token;

    private sealed class ShiftedTime(TimeSpan by) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + by;
    }
}
