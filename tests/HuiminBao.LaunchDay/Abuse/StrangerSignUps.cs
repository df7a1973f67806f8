using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using HuiminBao.LaunchDay.Fault;
using HuiminBao.LaunchDay.Harness;
using HuiminBao.Storage;

namespace HuiminBao.LaunchDay.Abuse;

/// <summary>
/// Issue 12's attack, as a new user could try it: one WeChat account signs up households of up to
/// eight strangers' ID numbers under made-up names: people already enrolled (the victims), people
/// insured and not yet enrolled (some 暂停 or 终止), people not insured at all. These sign-ups are
/// valid requests and are accepted; what must hold is what they do: nobody is enrolled by them,
/// every stranger gets one and the same answer (nothing to tell who is insured, suspended or
/// enrolled), and the real people still enroll under their own names afterwards.
/// </summary>
internal static class StrangerSignUps
{
    private static readonly string[] Relations = ["spouse", "child", "parent"];

    public static async Task<StrangerRunResult> RunAsync(PipelineStack stack, HostilePeople people, IReadOnlyList<PlaintextPerson> victims, int signUps, int seed, TextWriter log)
    {
        var random = new Random(seed + 12);
        // Insured and not yet enrolled: the people a stranger could take the place of.
        var unclaimed = Enumerable.Range(0, Math.Max(signUps, 4)).Select(i =>
        {
            var person = people.Next();
            stack.Yibao!.Insure(person.IdNumber, person.Name, status: (i % 5) switch { 3 => "暂停", 4 => "终止", _ => "正常" });
            return (Person: person, Active: i % 5 < 3);
        }).ToList();
        var uninsured = Enumerable.Range(0, signUps).Select(_ => people.Next()).ToList();
        var strangers = victims.Concat(unclaimed.Select(u => u.Person)).Concat(uninsured).ToList();

        var attacker = stack.Token("o-stranger-collector");
        var submitter = new PersistentSubmitter(stack.Client, TimeSpan.FromMinutes(1));
        var wrongNames = new List<string>();
        var submitted = new List<Submitted>();
        for (var i = 0; i < signUps; i++)
        {
            var applicant = people.Next();
            var household = strangers.OrderBy(_ => random.Next()).Take(random.Next(1, 9)).Select((s, n) =>
            {
                var wrong = s with { Name = "冒" + s.Name };
                wrongNames.Add(wrong.Name);
                return (wrong, Relations[n % Relations.Length]);
            }).ToArray();
            var body = HostilePeople.SignUpJson(stack.PlanYear, applicant, household);
            submitted.Add(await submitter.SubmitAsync(new GeneratedSignUp(i, "o-stranger-collector", body, household.Length, $"stranger-{i}"), attacker, CancellationToken.None));
        }
        var ids = submitted.Where(s => s.Accepted).Select(s => s.SignUpId!).ToHashSet(StringComparer.Ordinal);
        if (!await PipelineDrain.WaitAsync(() => stack.ConnectionString, TimeSpan.FromMinutes(2)))
            throw new InvalidOperationException("The strangers' sign-ups were not processed in time.");

        var answers = new Dictionary<string, int>(StringComparer.Ordinal);
        var statuses = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            var view = await GetAsync(stack, attacker, id);
            Count(statuses, view.GetProperty("status").GetString() ?? "");
            foreach (var person in view.GetProperty("insured").EnumerateArray())
                Count(answers, $"{person.GetProperty("outcome").GetString()}: {person.GetProperty("reason").GetString()}");
        }
        var enrolledByStrangers = await EnrollmentsOfAsync(stack.ConnectionString, ids);

        // The real people, under their own names, after all that.
        var enrolledAfter = 0;
        var actives = unclaimed.Where(u => u.Active).Select(u => u.Person).ToList();
        for (var i = 0; i < actives.Count; i++)
        {
            var own = actives[i];
            var token = stack.Token($"o-real-{i}");
            var signUp = await submitter.SubmitAsync(new GeneratedSignUp(i, $"o-real-{i}", HostilePeople.SignUpJson(stack.PlanYear, own, (own, "self")), 1, $"real-{i}"), token, CancellationToken.None);
            if (signUp.SignUpId is { } id && await DecidedAsync(stack, token, id) == "enrolled")
                enrolledAfter++;
        }
        // Their notifications settle too, so the hostile phase's storage snapshot starts from rest.
        if (!await PipelineDrain.WaitAsync(() => stack.ConnectionString, TimeSpan.FromMinutes(2)))
            throw new InvalidOperationException("The real people's sign-ups were not notified in time.");

        var result = new StrangerRunResult(submitted.Count, ids.Count, submitted.Sum(s => s.SignUp.Persons), enrolledByStrangers, answers, statuses, actives.Count, enrolledAfter)
        {
            WrongNames = wrongNames,
        };
        log.WriteLine("  " + result.Summary());
        return result;
    }

    private static void Count(Dictionary<string, int> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;

    private static async Task<JsonElement> GetAsync(PipelineStack stack, string token, string signUpId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/signups/{signUpId}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await stack.Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<string?> DecidedAsync(PipelineStack stack, string token, string signUpId)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var status = (await GetAsync(stack, token, signUpId)).GetProperty("status").GetString();
            if (status != "pending" || clock.Elapsed > TimeSpan.FromSeconds(60))
                return status;
            await Task.Delay(200);
        }
    }

    /// <summary>Enrollment rows held by any of <paramref name="signUpIds"/>.</summary>
    private static async Task<int> EnrollmentsOfAsync(string connectionString, HashSet<string> signUpIds)
    {
        var held = 0;
        await foreach (var row in new TableClient(connectionString, TableNames.Enrollments).QueryAsync<TableEntity>(select: ["SignUpId"]))
        {
            if (row.GetString("SignUpId") is { } id && signUpIds.Contains(id))
                held++;
        }
        return held;
    }
}
