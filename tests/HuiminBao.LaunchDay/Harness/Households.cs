using System.Text.Json;
using HuiminBao.Roster;

namespace HuiminBao.LaunchDay.Harness;

/// <summary>One generated sign-up: who posts it and what.</summary>
public sealed record GeneratedSignUp(int Index, string OpenId, string Body, int Persons, string IdempotencyKey);

/// <summary>
/// Realistic households drawn from a synthetic roster: an applicant on the roster insuring
/// themself and 0–5 relatives, most of them on the roster, a few suspended or unknown. Every
/// person appears in at most one household, so every enrollment is a fresh one.
/// </summary>
public sealed class Households(IReadOnlyList<SyntheticPerson> roster, int planYear, int seed)
{
    // 1 to 6 persons, weighted towards couples and small families.
    private static readonly int[] SizeWeights = [35, 25, 20, 12, 5, 3];
    private readonly Random _random = new(seed);
    private int _next;
    private int _taken;
    private int _outsiders;

    public static int[] Sizes => SizeWeights;

    /// <summary>The privacy-notice version the stack's host accepts (<c>Privacy:ConsentVersions</c>).</summary>
    public const string Consent = "2026-01";

    public GeneratedSignUp Next(int? size = null)
    {
        var persons = size ?? Pick();
        var index = Interlocked.Increment(ref _next) - 1;
        var applicant = Take();
        var insured = new List<object> { new { name = applicant.Name, idNumber = applicant.IdNumber, relation = "self" } };
        var relations = new[] { "spouse", "child", "child", "parent", "parent" };
        for (var i = 1; i < persons; i++)
        {
            // About one relative in twenty isn't on the roster (insured elsewhere, or not at all).
            var person = _random.Next(20) == 0 ? SyntheticRoster.Outsider(Interlocked.Increment(ref _outsiders)) : Take();
            insured.Add(new { name = person.Name, idNumber = person.IdNumber, relation = relations[i - 1] });
        }
        var mobile = $"13{_random.Next(10)}{_random.Next(100_000_000):00000000}";
        var body = JsonSerializer.Serialize(new
        {
            planYear,
            applicant = new { name = applicant.Name, idNumber = applicant.IdNumber, mobile },
            insured,
            consent = Consent,
        });
        return new GeneratedSignUp(index, $"o-launch-{index}", body, persons, $"launch-{index}");
    }

    private SyntheticPerson Take()
    {
        var at = Interlocked.Increment(ref _taken) - 1;
        if (at >= roster.Count)
            throw new InvalidOperationException($"The roster of {roster.Count} people is used up; seed a larger one.");
        return roster[at];
    }

    private int Pick()
    {
        var roll = _random.Next(SizeWeights.Sum());
        for (var i = 0; i < SizeWeights.Length; i++)
        {
            if ((roll -= SizeWeights[i]) < 0)
                return i + 1;
        }
        return 1;
    }
}
