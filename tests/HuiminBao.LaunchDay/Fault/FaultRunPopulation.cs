using System.Text.Json;
using HuiminBao.Domain;
using HuiminBao.LaunchDay.Harness;
using HuiminBao.Roster;
using HuiminBao.Security;
using HuiminBao.StandIns;
using Microsoft.Extensions.Options;

namespace HuiminBao.LaunchDay.Fault;

/// <summary>
/// The people of a fault run: generated households, everyone on the synthetic roster insured on the
/// 医保 stand-in as the bureau would answer for them, and so the outcome each person must end with
/// (active → enrolled; suspended, terminated or unknown to the bureau → not-insured). Every person is
/// in one household only, so "already-enrolled" is never right.
/// </summary>
public sealed class FaultRunPopulation
{
    private FaultRunPopulation(IReadOnlyList<GeneratedSignUp> signUps, IReadOnlyDictionary<string, string> outcomes)
    {
        SignUps = signUps;
        ExpectedOutcomes = outcomes;
    }

    public IReadOnlyList<GeneratedSignUp> SignUps { get; }

    /// <summary>Person key (as the pipeline computes it with the development keys) → outcome.</summary>
    public IReadOnlyDictionary<string, string> ExpectedOutcomes { get; }

    public int Persons => ExpectedOutcomes.Count;

    public static FaultRunPopulation Create(int signUps, int planYear, int seed, YibaoStandIn yibao)
    {
        // Households average 2.4 people, under 6% of them from outside the roster; this leaves room.
        var roster = new SyntheticRoster(seed).People((signUps * 27L / 10) + 200).ToList();
        foreach (var person in roster)
            yibao.Insure(person.IdNumber, person.Name, person.Scheme, person.Status, person.District);
        var active = roster.ToDictionary(p => p.IdNumber, p => p.IsActive, StringComparer.Ordinal);

        var households = new Households(roster, planYear, seed);
        var generated = Enumerable.Range(0, signUps).Select(_ => households.Next()).ToList();

        var hashes = new KeyedHashes(Options.Create(new SecurityOptions { IdHashKey = DevelopmentKeys.IdHashKey, DataKey = DevelopmentKeys.DataKey, SessionKey = DevelopmentKeys.SessionKey }));
        var outcomes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var signUp in generated)
        {
            using var body = JsonDocument.Parse(signUp.Body);
            foreach (var person in body.RootElement.GetProperty("insured").EnumerateArray())
            {
                var idNumber = person.GetProperty("idNumber").GetString()!;
                var enrolled = active.TryGetValue(idNumber, out var isActive) && isActive;
                outcomes.Add(hashes.PersonKey(IdNumber.Normalize(idNumber)), enrolled ? PersonOutcome.Enrolled : PersonOutcome.NotInsured);
            }
        }
        return new FaultRunPopulation(generated, outcomes);
    }
}
