using System.Text.Json;
using Azure.Data.Tables;
using HuiminBao.Domain;
using HuiminBao.LaunchDay.Harness;
using HuiminBao.Notifications;
using HuiminBao.SignUps;
using HuiminBao.Storage;
using HuiminBao.Validation;

namespace HuiminBao.LaunchDay.Audit;

/// <summary>What a run left behind, checked against the pipeline's promises.</summary>
public sealed record AuditReport(
    int Accepted,
    int Decided,
    int NeedsReview,
    int EnrolledPersons,
    int Notified,
    long TalliedTotal,
    IReadOnlyList<string> Violations)
{
    public bool Passed => Violations.Count == 0;

    public override string ToString() =>
        $"accepted {Accepted:N0}, decided {Decided:N0}, needs-review {NeedsReview:N0}, enrolled persons {EnrolledPersons:N0}, tallied {TalliedTotal:N0}, notified {Notified:N0}; " +
        (Passed ? "all invariants hold" : $"{Violations.Count} violations:\n  " + string.Join("\n  ", Violations.Take(30)));
}

/// <summary>
/// Reads every sign-up, enrollment and counter, and what the WeChat stand-in accepted, and checks:
/// every 202 reached a final status; each person is enrolled at most once per plan year and every
/// "enrolled" outcome is backed by that person's one enrollment row; the tallies equal a recount
/// from the enrollment rows per day and district; WeChat accepted exactly one message per notified
/// sign-up and none for the rest; nothing sits in poison but what the run meant to poison.
/// </summary>
public static class PipelineAudit
{
    public static async Task<AuditReport> RunAsync(PipelineStack stack, IReadOnlyCollection<string> acceptedSignUpIds, IReadOnlySet<string>? expectedNeedsReview = null)
    {
        var violations = new List<string>();
        var tables = new TableServiceClient(stack.ConnectionString);
        expectedNeedsReview ??= new HashSet<string>();

        var records = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        var notifications = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var row in tables.GetTableClient(TableNames.SignUps).QueryAsync<TableEntity>())
        {
            if (SignUpKeys.IsNotificationRow(row.RowKey))
                notifications[SignUpKeys.SignUpIdOf(row.RowKey)] = row.GetString(nameof(NotificationRecord.State)) ?? "";
            else
                records[row.RowKey] = row;
        }

        var decided = 0;
        var needsReview = 0;
        var enrolledClaims = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in acceptedSignUpIds)
        {
            if (!records.TryGetValue(id, out var record))
            {
                violations.Add($"sign-up {id} was answered 202 but has no record");
                continue;
            }
            var status = record.GetString(nameof(SignUpRecord.Status));
            if (status == SignUpStatus.NeedsReview)
            {
                needsReview++;
                if (!expectedNeedsReview.Contains(id))
                    violations.Add($"sign-up {id} needs review, which the run did not intend");
                continue;
            }
            if (status is not (SignUpStatus.Enrolled or SignUpStatus.PartiallyEnrolled or SignUpStatus.Rejected))
            {
                violations.Add($"sign-up {id} is still {status}");
                continue;
            }
            decided++;
            foreach (var person in JsonSerializer.Deserialize(record.GetString(nameof(SignUpRecord.Persons))!, PipelineJson.Default.ListPersonState)!)
            {
                if (person.Outcome != PersonOutcome.Enrolled)
                    continue;
                if (!enrolledClaims.TryAdd(person.PersonKey, id))
                    violations.Add($"person {person.PersonKey[..12]}… is 'enrolled' by both {enrolledClaims[person.PersonKey]} and {id}");
            }
        }

        var rows = new Dictionary<string, EnrollmentRow>(StringComparer.Ordinal);
        var counters = new List<TableEntity>();
        await foreach (var row in tables.GetTableClient(TableNames.Enrollments).QueryAsync<TableEntity>())
        {
            if (EnrollmentKeys.IsCounterRow(row.RowKey))
            {
                counters.Add(row);
                continue;
            }
            var personKey = row.RowKey[2..];
            rows[personKey] = new EnrollmentRow { SignUpId = row.GetString("SignUpId") ?? "", Day = row.GetString("Day") ?? "", District = row.GetString("District") ?? "" };
        }
        foreach (var (personKey, signUpId) in enrolledClaims)
        {
            if (!rows.TryGetValue(personKey, out var row))
                violations.Add($"sign-up {signUpId} says person {personKey[..12]}… enrolled, but there is no enrollment row");
            else if (row.SignUpId != signUpId)
                violations.Add($"sign-up {signUpId} says person {personKey[..12]}… enrolled, but the row belongs to {row.SignUpId}");
        }
        foreach (var (personKey, row) in rows)
        {
            if (!enrolledClaims.ContainsKey(personKey))
                violations.Add($"enrollment row for {personKey[..12]}… ({row.SignUpId}) has no sign-up claiming it as enrolled");
        }

        // Tallies against a recount from the rows, per day and per district.
        var counted = counters.GroupBy(c => EnrollmentKeys.DayOfCounterRow(c.RowKey).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))
            .ToDictionary(g => g.Key, g => g.Sum(c => c.GetInt64(TallyColumns.Enrolled) ?? 0));
        var recounted = rows.Values.GroupBy(r => r.Day).ToDictionary(g => g.Key, g => (long)g.Count());
        foreach (var day in counted.Keys.Union(recounted.Keys))
        {
            if (counted.GetValueOrDefault(day) != recounted.GetValueOrDefault(day))
                violations.Add($"tally for {day} is {counted.GetValueOrDefault(day)} but the enrollment rows count {recounted.GetValueOrDefault(day)}");
        }
        foreach (var district in rows.Values.Select(r => r.District).Distinct())
        {
            var tallied = counters.Sum(c => c.GetInt64(TallyColumns.District(district)) ?? 0);
            var recount = rows.Values.Count(r => r.District == district);
            if (tallied != recount)
                violations.Add($"district {district} tallied {tallied} but the rows count {recount}");
        }

        // WeChat: one accepted message per notified sign-up, none for sign-ups whose notification wasn't sent.
        var accepted = stack.WeChat.Accepted
            .GroupBy(m => SignUpIdOf(m.Page))
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        foreach (var (signUpId, count) in accepted)
        {
            if (count > 1)
                violations.Add($"WeChat accepted {count} messages for sign-up {signUpId}");
            if (notifications.GetValueOrDefault(signUpId) is not (NotificationStates.Sent or NotificationStates.Unconfirmed))
                violations.Add($"WeChat accepted a message for {signUpId}, whose notification is '{notifications.GetValueOrDefault(signUpId)}'");
        }
        foreach (var (signUpId, state) in notifications)
        {
            if (state == NotificationStates.Sent && !accepted.ContainsKey(signUpId))
                violations.Add($"sign-up {signUpId} notification is 'sent' but WeChat has no message for it");
        }
        foreach (var id in acceptedSignUpIds)
        {
            if (records.TryGetValue(id, out var r) && r.GetString(nameof(SignUpRecord.Status)) != SignUpStatus.NeedsReview && !notifications.ContainsKey(id))
                violations.Add($"sign-up {id} was decided but never notified");
        }

        await foreach (var review in tables.GetTableClient(TableNames.Reviews).QueryAsync<TableEntity>())
        {
            if (!expectedNeedsReview.Contains(review.RowKey))
                violations.Add($"review listed for {review.RowKey}, which the run did not intend");
        }

        return new AuditReport(acceptedSignUpIds.Count, decided, needsReview, rows.Count, accepted.Count, counted.Values.Sum(), violations);
    }

    private static string SignUpIdOf(string? page) =>
        page is not null && page.IndexOf("id=", StringComparison.Ordinal) is var at and >= 0 ? page[(at + 3)..].Split('&')[0] : "";
}
