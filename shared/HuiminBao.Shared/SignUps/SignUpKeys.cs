namespace HuiminBao.SignUps;

/// <summary>
/// Where a sign-up lives in the <c>signups</c> table. Sign-ups share <see cref="Buckets"/> partitions
/// (by the first character of their id) rather than having one each, so that concurrent writes for
/// different sign-ups can go out as one transaction (<see cref="Storage.PartitionGroupCommit"/>). Each
/// bucket is a partition Azure serves at about 2,000 entities/s; 16 of them carry a few thousand
/// sign-ups/s at five writes each. The record's row key is the id; its notification sits beside it,
/// so one range query reads both.
/// </summary>
public static class SignUpKeys
{
    public const int Buckets = 16;
    private const int MaxIdLength = 64;
    private const string NotificationSuffix = "~notification";
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    public static string Partition(string signUpId)
    {
        var index = signUpId.Length == 0 ? 0 : Alphabet.IndexOf(signUpId[0], StringComparison.Ordinal);
        return PartitionOf(Math.Max(index, 0) % Buckets);
    }

    /// <summary>The partition of bucket <paramref name="bucket"/> (0 to <see cref="Buckets"/> − 1).</summary>
    public static string PartitionOf(int bucket) => $"b{bucket:x}";

    public static string RecordRow(string signUpId) => signUpId;

    public static string NotificationRow(string signUpId) => signUpId + NotificationSuffix;

    /// <summary>Row keys from the record up to and including its notification (a range '~' closes, as it sorts after every id character).</summary>
    public static (string From, string To) Rows(string signUpId) => (signUpId, NotificationRow(signUpId));

    /// <summary>An empty entity addressing a sign-up's record, for merges.</summary>
    public static Azure.Data.Tables.TableEntity RecordEntity(string signUpId) => new(Partition(signUpId), RecordRow(signUpId));

    /// <summary>What an id can look like (lowercase base32); anything else is answered as not found without a storage call.</summary>
    public static bool IsWellFormed(string id) =>
        id.Length is > 0 and <= MaxIdLength && id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c));

    public static bool IsNotificationRow(string rowKey) => rowKey.EndsWith(NotificationSuffix, StringComparison.Ordinal);

    public static string SignUpIdOf(string rowKey) =>
        IsNotificationRow(rowKey) ? rowKey[..^NotificationSuffix.Length] : rowKey;
}
