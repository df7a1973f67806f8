using System.Globalization;
using System.Text.Json;
using HuiminBao.Roster;

namespace HuiminBao.LaunchDay.Abuse;

/// <summary>
/// Real-looking people (valid ID numbers, names, mobiles) for hostile bodies, each used once, so a
/// body is wrong in exactly the way it means to be and the plaintext scan has real values to look for.
/// </summary>
public sealed class HostilePeople(int seed)
{
    private readonly IEnumerator<SyntheticPerson> _roster = new SyntheticRoster(seed).People(long.MaxValue / 2).GetEnumerator();
    private readonly Random _random = new(seed);
    private readonly object _gate = new();

    public List<PlaintextPerson> Used { get; } = [];

    public PlaintextPerson Next()
    {
        lock (_gate)
        {
            _roster.MoveNext();
            var person = _roster.Current;
            var mobile = string.Create(CultureInfo.InvariantCulture, $"1{_random.Next(3, 10)}{_random.Next(1_000_000_000):000000000}");
            var used = new PlaintextPerson(person.Name, person.IdNumber, mobile);
            Used.Add(used);
            return used;
        }
    }

    public static string SignUpJson(int planYear, PlaintextPerson applicant, params (PlaintextPerson Person, string Relation)[] insured) =>
        JsonSerializer.Serialize(new
        {
            planYear,
            applicant = new { name = applicant.Name, idNumber = applicant.IdNumber, mobile = applicant.Mobile },
            insured = insured.Select(i => new { name = i.Person.Name, idNumber = i.Person.IdNumber, relation = i.Relation }),
            consent = Harness.Households.Consent,
        });
}
