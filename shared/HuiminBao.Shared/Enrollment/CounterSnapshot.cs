using System.Globalization;
using Azure;
using Azure.Data.Tables;

namespace HuiminBao.Enrollment;

/// <summary>A daily counter's values as last seen, with the ETag they were seen at (null: doesn't exist yet).</summary>
internal sealed record CounterSnapshot(ETag? ETag, IReadOnlyDictionary<string, long> Values)
{
    public static readonly CounterSnapshot Empty = new(null, new Dictionary<string, long>());

    public static CounterSnapshot From(TableEntity entity) => new(
        entity.ETag,
        entity.Where(p => p.Value is long or int).ToDictionary(p => p.Key, p => Convert.ToInt64(p.Value, CultureInfo.InvariantCulture)));

    public CounterSnapshot Plus(IEnumerable<string> columns)
    {
        var values = new Dictionary<string, long>(Values);
        foreach (var column in columns)
            values[column] = values.GetValueOrDefault(column) + 1;
        return this with { Values = values };
    }

    public TableEntity ToEntity(string partition, string row)
    {
        var entity = new TableEntity(partition, row);
        foreach (var (column, value) in Values)
            entity[column] = value;
        return entity;
    }
}
