using System.Text.Json.Nodes;
using HuiminBao.Domain;
using HuiminBao.LaunchDay.Harness;
using HuiminBao.Roster;
using HuiminBao.Security;
using HuiminBao.StandIns;
using Microsoft.Extensions.Options;

namespace HuiminBao.LaunchDay.Fault;

/// <summary>
/// The people of a fault run: generated households, everyone on the synthetic roster insured on the
/// 医保 stand-in as the bureau would answer for them, and so the outcome each person must end with.
/// About one relative in <see cref="MisnamedOneIn"/> (by default) is signed up under a wrong name, as a typo or a
/// stranger's ID number would be: on record, that is <c>identity-mismatch</c> whatever their status;
/// otherwise active → enrolled, and suspended, terminated or unknown to the bureau → not-insured.
/// Every person is in one household only, so "already-enrolled" is never right.
/// </summary>
public sealed class FaultRunPopulation
{
    public const int MisnamedOneIn = 25;

    private FaultRunPopulation(IReadOnlyList<GeneratedSignUp> signUps, IReadOnlyDictionary<string, string> outcomes, int misnamed)
    {
        SignUps = signUps;
        ExpectedOutcomes = outcomes;
        Misnamed = misnamed;
    }

    public IReadOnlyList<GeneratedSignUp> SignUps { get; }

    /// <summary>Person key (as the pipeline computes it with the development keys) → outcome.</summary>
    public IReadOnlyDictionary<string, string> ExpectedOutcomes { get; }

    public int Persons => ExpectedOutcomes.Count;

    /// <summary>People signed up under a name that is not theirs.</summary>
    public int Misnamed { get; }

    public static FaultRunPopulation Create(int signUps, int planYear, int seed, YibaoStandIn yibao, int misnamedOneIn = MisnamedOneIn)
    {
        // Households average 2.4 people, under 6% of them from outside the roster; this leaves room.
        var roster = new SyntheticRoster(seed).People((signUps * 27L / 10) + 200).ToList();
        foreach (var person in roster)
            yibao.Insure(person.IdNumber, person.Name, person.Scheme, person.Status, person.District);
        var onRecord = roster.ToDictionary(p => p.IdNumber, p => p.IsActive, StringComparer.Ordinal);

        var households = new Households(roster, planYear, seed);
        var random = new Random(seed + 12);
        var hashes = new KeyedHashes(Options.Create(new SecurityOptions { IdHashKey = DevelopmentKeys.IdHashKey, DataKey = DevelopmentKeys.DataKey, SessionKey = DevelopmentKeys.SessionKey }));
        var outcomes = new Dictionary<string, string>(StringComparer.Ordinal);
        var generated = new List<GeneratedSignUp>(signUps);
        var misnamed = 0;
        for (var i = 0; i < signUps; i++)
        {
            var signUp = households.Next();
            var body = JsonNode.Parse(signUp.Body)!;
            foreach (var person in body["insured"]!.AsArray().Select(p => p!.AsObject()))
            {
                var idNumber = person["idNumber"]!.GetValue<string>();
                var wrongName = person["relation"]!.GetValue<string>() != "self" && random.Next(misnamedOneIn) == 0;
                if (wrongName)
                {
                    person["name"] = "冒" + person["name"]!.GetValue<string>();
                    misnamed++;
                }
                var expected = onRecord.TryGetValue(idNumber, out var active)
                    ? wrongName ? PersonOutcome.IdentityMismatch : active ? PersonOutcome.Enrolled : PersonOutcome.NotInsured
                    : PersonOutcome.NotInsured;
                outcomes.Add(hashes.PersonKey(IdNumber.Normalize(idNumber)), expected);
            }
            generated.Add(signUp with { Body = body.ToJsonString() });
        }
        return new FaultRunPopulation(generated, outcomes, misnamed);
    }
}
