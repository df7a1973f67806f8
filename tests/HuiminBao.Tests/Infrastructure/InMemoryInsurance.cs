using System.Collections.Concurrent;
using HuiminBao.Domain;
using HuiminBao.Enrollment.Eligibility;

namespace HuiminBao.Tests.Infrastructure;

/// <summary>
/// A basic-insurance answer table for tests of the stages downstream of the lookup. The roster and
/// HTTP implementations have their own tests against Azurite and a loopback 医保 service.
/// </summary>
public sealed class InMemoryInsurance : IInsuranceLookup
{
    private readonly ConcurrentDictionary<string, InsuranceStatus> _people = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _unavailable = new(StringComparer.Ordinal);

    public bool NeedsIdNumber => false;

    public void Add(string personKey, string status = InsuranceStates.Active, string scheme = InsuranceSchemes.Resident, string district = "410502") =>
        _people[personKey] = new InsuranceStatus(true, status, scheme, district);

    /// <summary>Lookups of this person fail as a service outage would, until <see cref="Recover"/>.</summary>
    public void MakeUnavailable(string personKey) => _unavailable[personKey] = 0;

    public void Recover(string personKey) => _unavailable.TryRemove(personKey, out _);

    public Task<InsuranceStatus> LookupAsync(PersonToCheck person, CancellationToken cancellationToken)
    {
        if (_unavailable.ContainsKey(person.PersonKey))
            throw new InsuranceLookupUnavailableException("stand-in outage");
        return Task.FromResult(_people.TryGetValue(person.PersonKey, out var status) ? status : InsuranceStatus.NotFound);
    }
}
