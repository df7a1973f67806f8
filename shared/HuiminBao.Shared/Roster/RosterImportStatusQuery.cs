using HuiminBao.Domain;

namespace HuiminBao.Roster;

/// <summary><c>GET /api/ops/roster-imports/{id}</c> and <c>GET /api/ops/roster-imports</c>: where imports stand.</summary>
public sealed class RosterImportStatusQuery(RosterImportRecords records)
{
    private const int RecentCount = 20;

    public async Task<Outcome<RosterImportView>> GetAsync(string importId, CancellationToken cancellationToken) =>
        await records.GetAsync(importId, cancellationToken) is { } record ? RosterImportView.From(record) : RosterProblems.NotFound();

    public async Task<Outcome<List<RosterImportView>>> RecentAsync(CancellationToken cancellationToken) =>
        (await records.RecentAsync(RecentCount, cancellationToken)).Select(RosterImportView.From).ToList();
}
