using Azure.Data.Tables;

namespace HuiminBao.Roster;

/// <summary>
/// The layout of the <c>roster</c> table: one entity per insured person, row key = person key (the
/// HMAC of the ID number, <see cref="Security.KeyedHashes.PersonKey"/>), partition = its first two hex
/// characters. 256 partitions spread load in Azure and let an import group its 100-entity batches
/// by partition while buffering at most 256 × 100 rows. No plaintext ID number or name is stored:
/// the name is kept only as a keyed hash bound to the ID, enough to compare a name given with it.
/// </summary>
public static class RosterTable
{
    public const int PartitionCount = 256;

    public const string Scheme = "Scheme";
    public const string Status = "Status";
    public const string District = "District";

    /// <summary>The date the bureau's export was taken (yyyy-MM-dd): what "active" was true as of.</summary>
    public const string AsOf = "AsOf";

    /// <summary>Keyed hash of the name bound to the ID (<see cref="Security.KeyedHashes.NameKey"/>): what eligibility compares the name given with.</summary>
    public const string NameKey = "NameKey";

    /// <summary>
    /// The <see cref="Domain.PersonName.ComparisonVersion"/> <see cref="NameKey"/> was made with. A row
    /// without it (imported before names were compared, or by an earlier comparison form) can't
    /// answer the name check, and eligibility refuses to decide on the ID number alone.
    /// </summary>
    public const string NameForm = "NameForm";

    public static string PartitionOf(string personKey) => personKey[..2];

    public static TableEntity Entity(RosterRow row) => new(PartitionOf(row.PersonKey), row.PersonKey)
    {
        [Scheme] = row.Scheme,
        [Status] = row.Status,
        [District] = row.District,
        [AsOf] = row.AsOf,
        [NameKey] = row.NameKey,
        [NameForm] = Domain.PersonName.ComparisonVersion,
    };
}
