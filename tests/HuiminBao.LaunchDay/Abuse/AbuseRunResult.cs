using System.Text;

namespace HuiminBao.LaunchDay.Abuse;

/// <summary>What an abuse run sent, what came back, and what it found.</summary>
public sealed record AbuseRunResult(
    AbuseRunOptions Options,
    IReadOnlyList<(HostileKind Kind, int Status)> Answers,
    TimeSpan Took,
    IReadOnlyList<string> StorageChanges,
    IReadOnlyList<string> ResponseLeaks,
    IReadOnlyList<string> PlaintextHits,
    int SecretsScanned,
    int LogLinesScanned)
{
    public IReadOnlyList<(HostileKind Kind, int Status)> ServerErrors => [.. Answers.Where(a => a.Status >= 500)];

    /// <summary>Hostile requests answered 2xx; the strangers' sign-ups are valid requests, accepted by design, and judged by <see cref="Strangers"/>.</summary>
    public IReadOnlyList<(HostileKind Kind, int Status)> Accepted => [.. Answers.Where(a => a.Status is >= 200 and < 300 && a.Kind != HostileKind.StrangersWithWrongNames)];

    /// <summary>Answers that aren't what the kind must get (includes 5xx, 2xx and dropped connections, status 0).</summary>
    public IReadOnlyList<(HostileKind Kind, int Status)> Unexpected => [.. Answers.Where(a => !HostileRequests.IsExpected(a.Kind, a.Status))];

    /// <summary>Log lines in which the scan found the victims' sign-up ids, which are logged: none would mean the scan saw no log.</summary>
    public int ControlHits { get; init; }

    public StrangerRunResult? Strangers { get; init; }

    public bool Passed => ServerErrors.Count == 0 && Accepted.Count == 0 && Unexpected.Count == 0
        && StorageChanges.Count == 0 && ResponseLeaks.Count == 0 && PlaintextHits.Count == 0 && ControlHits > 0 && Strangers is { Passed: true };

    public override string ToString()
    {
        var report = new StringBuilder();
        var hostile = Answers.Count(a => a.Kind != HostileKind.StrangersWithWrongNames);
        report.AppendLine($"Abuse run: {hostile:N0} hostile requests in {Took.TotalSeconds:N1} s ({hostile / Took.TotalSeconds:N0}/s, {Options.Concurrency} at a time), {Options.Victims} victims, seed {Options.Seed}");
        foreach (var kind in Answers.GroupBy(a => a.Kind).OrderBy(g => g.Key))
            report.AppendLine($"  {kind.Key,-24} {kind.Count(),6:N0}  {string.Join(", ", kind.GroupBy(a => a.Status).OrderBy(s => s.Key).Select(s => $"{s.Key} ×{s.Count():N0}"))}");
        report.AppendLine($"  5xx: {ServerErrors.Count}; 2xx: {Accepted.Count}; not the expected answer: {Unexpected.Count}{string.Concat(Unexpected.GroupBy(u => u).Take(10).Select(u => $"\n    {u.Key.Kind} {u.Key.Status} ×{u.Count()}"))}");
        report.AppendLine($"  {Strangers?.Summary() ?? "strangers' sign-ups: not run"}");
        report.AppendLine($"  storage changed: {StorageChanges.Count}{string.Concat(StorageChanges.Take(10).Select(c => "\n    " + c))}");
        report.AppendLine($"  responses carrying a victim's data: {ResponseLeaks.Count}{string.Concat(ResponseLeaks.Take(10).Select(l => "\n    " + l))}");
        report.Append($"  plaintext scan of every table, queue, blob and {LogLinesScanned:N0} host log lines for {SecretsScanned:N0} ID numbers, mobiles and names: {PlaintextHits.Count} hits{string.Concat(PlaintextHits.Take(10).Select(h => "\n    " + h))} (control: the victims' sign-up ids found in {ControlHits:N0} log lines)");
        return report.ToString();
    }
}
