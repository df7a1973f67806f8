using HuiminBao.Domain;
using HuiminBao.Security;

namespace HuiminBao.SignUps;

/// <summary>What the <c>signups</c> message says of an insured person, made the same way by intake and by the sweep that re-queues a stranded sign-up.</summary>
public static class QueuedPersons
{
    public static QueuedPerson Of(KeyedHashes hashes, string idNumber, string name, string relation) =>
        new(hashes.PersonKey(idNumber), relation, PersonName.Mask(name), hashes.NameKey(idNumber, name));
}
