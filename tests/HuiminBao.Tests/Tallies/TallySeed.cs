using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using HuiminBao.Domain;
using HuiminBao.Enrollment;
using HuiminBao.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace HuiminBao.Tests.Tallies;

/// <summary>One enrollment the seed made, to compute expected tallies from.</summary>
public sealed record SeededEnrollment(DateOnly Day, string District, string Scheme, string Relation);

/// <summary>
/// Enrolls synthetic people on chosen Beijing days through the real <see cref="EnrollmentLedger"/>
/// (the counting path validation uses), spread over every shard, districts skewed so rankings differ.
/// </summary>
public static class TallySeed
{
    public const string OpensAt = "2026-03-01T00:00:00+08:00";
    public static readonly DateOnly WindowStart = new(2026, 3, 1);

    private static readonly string[] DistrictPool =
        ["410502", "410502", "410502", "410502", "410503", "410503", "410503", "410505", "410505", "410581", "410581", "410522", "410523", "410527", "410571", "410506", ""];
    private static readonly string[] Schemes = ["employee", "resident", "resident"];
    private static readonly string[] Relations = ["self", "self", "spouse", "child", "parent"];

    public static async Task<List<SeededEnrollment>> EnrollAsync(PipelineHost host, IReadOnlyDictionary<DateOnly, int> perDay, int seed = 1)
    {
        var ledger = host.Services.GetRequiredService<EnrollmentLedger>();
        var random = new Random(seed);
        var seeded = new List<SeededEnrollment>();
        foreach (var (day, count) in perDay.OrderBy(p => p.Key))
        {
            var batch = Enumerable.Range(0, count).Select(_ => new SeededEnrollment(
                day, DistrictPool[random.Next(DistrictPool.Length)], Schemes[random.Next(Schemes.Length)], Relations[random.Next(Relations.Length)])).ToList();
            await Task.WhenAll(batch.Select(e => ledger.EnrollAsync(new PersonEnrollment(
                PipelineHost.PlanYear,
                Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
                Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
                e.Relation, e.District, e.Scheme, day, BeijingTime.StartOf(day).AddHours(9)), CancellationToken.None)));
            seeded.AddRange(batch);
        }
        return seeded;
    }

    public static string DistrictCode(SeededEnrollment e) => e.District.Length == 0 ? Districts.Unknown : e.District;

    /// <summary>Host settings: the window open from 1 March 2026; queue listeners and timers off unless asked for.</summary>
    public static Dictionary<string, string?> Settings(bool listeners = false, bool timers = false)
    {
        var settings = new Dictionary<string, string?> { ["Enrollment:OpensAt"] = OpensAt, ["DevHost:Timers"] = timers ? "true" : "false" };
        if (!listeners)
            settings["DevHost:QueueListeners"] = "false";
        return settings;
    }

    public static async Task<HttpResponseMessage> OpsGetAsync(this PipelineHost host, string path, string? accept = null, bool withKey = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (withKey)
            request.Headers.Add("x-functions-key", PipelineHost.OpsKey);
        if (accept is not null)
            request.Headers.TryAddWithoutValidation("Accept", accept);
        return await host.Client.SendAsync(request);
    }

    public static async Task<JsonElement> OpsJsonAsync(this PipelineHost host, string path)
    {
        using var response = await host.OpsGetAsync(path);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<JsonElement> TalliesAsync(this PipelineHost host, string query = "")
    {
        using var response = await host.OpsGetAsync("/api/tallies" + query);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
