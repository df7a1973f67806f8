using System.Text.Json;

namespace HuiminBao.Roster;

/// <summary>An import's status as ops see it (<c>GET /api/ops/roster-imports/{id}</c>).</summary>
public sealed record RosterImportView(
    string ImportId,
    string State,
    string Source,
    long Bytes,
    string Encoding,
    string AsOf,
    long RowsRead,
    long RowsImported,
    long RowsBad,
    IReadOnlyList<RosterBadRowView> BadRows,
    string? Failure,
    int Runs,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    string Location)
{
    public const string RoutePrefix = "/api/ops/roster-imports";

    /// <summary>True when the import existed already: this upload was the same file again.</summary>
    public bool? Duplicate { get; init; }

    public static RosterImportView From(RosterImportRecord record) => new(
        record.ImportId,
        record.State,
        record.Source,
        record.Bytes,
        record.Encoding,
        record.AsOf,
        record.RowsRead,
        record.RowsImported,
        record.RowsBad,
        BadRowsOf(record).Select(b => new RosterBadRowView(b.Line, b.Reason, RosterRowErrors.Describe(b.Reason))).ToList(),
        record.Failure,
        record.Runs,
        record.CreatedAt,
        record.StartedAt,
        record.CompletedAt,
        $"{RoutePrefix}/{record.ImportId}");

    public static List<RosterBadRow> BadRowsOf(RosterImportRecord record) =>
        JsonSerializer.Deserialize(record.BadRows, RosterJson.Default.ListRosterBadRow) ?? [];
}

/// <param name="Description">The reason in zh-CN, for ops reading the JSON.</param>
public sealed record RosterBadRowView(long Line, string Reason, string Description);
