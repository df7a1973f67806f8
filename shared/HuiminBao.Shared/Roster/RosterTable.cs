using Azure.Data.Tables;

namespace HuiminBao.Roster;

/// <summary>
/// The layout of the <c>roster</c> table: one entity per insured person, row key = person key (the
/// HMAC of the ID number, <see cref="Security.KeyedHashes.PersonKey"/>), partition = its first two hex
/// characters. 256 partitions spread load in Azure and let an import group its 100-entity batches
/// by partition while buffering at most 256 × 100 rows. No plaintext ID number or name is stored.
/// </summary>
public static class RosterTable
{
    public const int PartitionCount = 256;

    public const string Scheme = "Scheme";
    public const string Status = "Status";
    public const string District = "District";

    /// <summary>The date the bureau's export was taken (yyyy-MM-dd): what "active" was true as of.</summary>
    public const string AsOf = "AsOf";

    /// <summary>Optional keyed hash of the name bound to the ID (<see cref="RosterKeys.NameKey"/>), for a later name check.</summary>
    public const string NameKey = "NameKey";

    public static string PartitionOf(string personKey) => personKey[..2];

    public static TableEntity Entity(RosterRow row) => new(PartitionOf(row.PersonKey), row.PersonKey)
    {
        [Scheme] = row.Scheme,
        [Status] = row.Status,
        [District] = row.District,
        [AsOf] = row.AsOf,
        [NameKey] = row.NameKey,
    };
}
