using System.Globalization;

namespace HuiminBao.Enrollment;

/// <summary>
/// Where enrollments and tally counters live. Enrollments are spread over <see cref="ShardCount"/>
/// partitions by person key; each partition also holds that shard's counter for each day, so an
/// enrollment and its count are written in one entity-group transaction and a day's tally is the
/// sum of a few counters instead of one hot entity.
/// </summary>
public static class EnrollmentKeys
{
    public const int ShardCount = 16;
    private const string EnrollmentPrefix = "p-";
    private const string CounterPrefix = "t-";

    public static int ShardOf(string personKey) => int.Parse(personKey.AsSpan(0, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture) % ShardCount;

    public static string Partition(int planYear, int shard) => $"{planYear}-{shard:x2}";

    public static string Partition(int planYear, string personKey) => Partition(planYear, ShardOf(personKey));

    public static string EnrollmentRow(string personKey) => EnrollmentPrefix + personKey;

    public static string CounterRow(DateOnly day) => CounterPrefix + day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static bool IsCounterRow(string rowKey) => rowKey.StartsWith(CounterPrefix, StringComparison.Ordinal);

    public static DateOnly DayOfCounterRow(string rowKey) =>
        DateOnly.ParseExact(rowKey.AsSpan(CounterPrefix.Length), "yyyyMMdd", CultureInfo.InvariantCulture);
}
