using System.Collections.Concurrent;
using HuiminBao.Domain;
using HuiminBao.Enrollment.Eligibility;

namespace HuiminBao.Tests.Infrastructure;

/// <summary>
/// A basic-insurance answer table for tests of the stages downstream of the lookup, with the
/// real-name check: a person is found only under the name they were added with. The roster and
/// HTTP implementations have their own tests against Azurite and a loopback 医保 service.
/// </summary>
public sealed class InMemoryInsurance : IInsuranceLookup
{
    private readonly ConcurrentDictionary<string, (string NameKey, InsuranceStatus Status)> _people = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _unavailable = new(StringComparer.Ordinal);

    public bool NeedsIdentity => false;

    public void Add(PersonIdentity person, string status = InsuranceStates.Active, string scheme = InsuranceSchemes.Resident, string district = "410502") =>
        _people[person.PersonKey] = (person.NameKey, InsuranceStatus.Insured(status, scheme, district));

    public void Remove(string personKey) => _people.TryRemove(personKey, out _);

    /// <summary>Lookups of this person fail as a service outage would, until <see cref="Recover"/>.</summary>
    public void MakeUnavailable(string personKey) => _unavailable[personKey] = 0;

    public void Recover(string personKey) => _unavailable.TryRemove(personKey, out _);

    public Task<InsuranceStatus> LookupAsync(PersonToCheck person, CancellationToken cancellationToken)
    {
        if (_unavailable.ContainsKey(person.PersonKey))
            throw new InsuranceLookupUnavailableException("stand-in outage");
        if (!_people.TryGetValue(person.PersonKey, out var known))
            return Task.FromResult(InsuranceStatus.NotFound);
        return Task.FromResult(known.NameKey == person.NameKey ? known.Status : InsuranceStatus.NameMismatch);
    }
}
