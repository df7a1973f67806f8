using System.Text;
using HuiminBao.LaunchDay.Audit;

namespace HuiminBao.LaunchDay.Fault;

/// <summary>What a fault run did and found.</summary>
public sealed record FaultRunResult(
    FaultRunOptions Options,
    int Persons,
    int Accepted,
    IReadOnlyList<Submitted> NotAccepted,
    IReadOnlyDictionary<string, int> ClientAnswers,
    int ClientRetries,
    int FaultsInjected,
    int FaultsPlanned,
    TimeSpan ArrivalsTook,
    TimeSpan Took,
    bool Drained,
    IReadOnlyList<(string Entry, int Count)> HostProblems,
    string Timeline,
    AuditReport Audit)
{
    /// <summary>
    /// The audit holds, every sign-up got its 202, no attempt got a 500 (an outage is a 503 the client
    /// retries; a 500 is a bug), every planned fault struck, and the pipeline finished.
    /// </summary>
    public bool Passed => Audit.Passed && NotAccepted.Count == 0 && !ClientAnswers.ContainsKey("500") && Drained && FaultsInjected == FaultsPlanned;

    public override string ToString()
    {
        var report = new StringBuilder();
        report.AppendLine($"Fault run: {Options.SignUps:N0} sign-ups ({Persons:N0} persons) at {Options.ArrivalsPerSecond:N0}/s, seed {Options.Seed}");
        report.AppendLine($"  faults injected: {FaultsInjected} of {FaultsPlanned}");
        report.AppendLine(Timeline);
        report.AppendLine($"  arrivals took {ArrivalsTook.TotalSeconds:N0} s; everything decided and notified after {Took.TotalSeconds:N0} s{(Drained ? "" : " (NOT drained: timed out)")}: {Accepted / Took.TotalSeconds:N1} sign-ups/s end to end");
        report.AppendLine($"  client attempts: {string.Join(", ", ClientAnswers.OrderByDescending(a => a.Value).Select(a => $"{a.Key} ×{a.Value:N0}"))}; {ClientRetries:N0} retries");
        report.AppendLine($"  202s: {Accepted:N0}; not accepted: {NotAccepted.Count:N0}{string.Concat(NotAccepted.Take(10).Select(n => $"\n    #{n.SignUp.Index}: {n.RefusedWith?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"} {n.RefusalCode}"))}");
        report.AppendLine($"  local host warnings and errors: {(HostProblems.Count == 0 ? "none" : "")}{string.Concat(HostProblems.Take(15).Select(p => $"\n    {p.Count,7:N0} × {p.Entry}"))}");
        report.Append($"  audit: {Audit}");
        return report.ToString();
    }
}
