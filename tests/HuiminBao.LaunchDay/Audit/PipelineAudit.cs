using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using HuiminBao.Domain;
using HuiminBao.Enrollment;
using HuiminBao.LaunchDay.Harness;
using HuiminBao.Queues;
using HuiminBao.SignUps;
using HuiminBao.Storage;

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

    /// <summary>Notification rows by state (sent, unconfirmed, failed...).</summary>
    public IReadOnlyDictionary<string, int> NotificationRows { get; init; } = new Dictionary<string, int>();

    public override string ToString() =>
        $"accepted {Accepted:N0}, decided {Decided:N0}, needs-review {NeedsReview:N0}, enrolled persons {EnrolledPersons:N0}, tallied {TalliedTotal:N0}, notified {Notified:N0} " +
        $"(notification rows: {string.Join(", ", NotificationRows.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key} {s.Value:N0}"))}); " +
        (Passed ? "all invariants hold" : $"{Violations.Count} violations:\n  " + string.Join("\n  ", Violations.Take(30)));
}

/// <summary>
/// Reads every sign-up, enrollment and counter, and what the WeChat stand-in accepted, and checks:
/// every 202 reached a final status; each person is enrolled at most once per plan year, every
/// "enrolled" outcome is backed by that person's one enrollment row and every "already-enrolled" by
/// another sign-up's row; the tallies (the counters and the ops route) equal a recount from the
/// enrollment rows per day, district, scheme and relation; WeChat accepted exactly one message per
/// notified sign-up and none for the rest; nothing sits in poison, in review or failed but what the
/// run meant to.
/// </summary>
public static class PipelineAudit
{
    public static Task<AuditReport> RunAsync(PipelineStack stack, IReadOnlyCollection<string> acceptedSignUpIds, IReadOnlySet<string>? expectedNeedsReview = null) =>
        RunAsync(stack, acceptedSignUpIds, expectedNeedsReview is null ? AuditExpectations.None : new AuditExpectations { NeedsReview = expectedNeedsReview });

    public static async Task<AuditReport> RunAsync(PipelineStack stack, IReadOnlyCollection<string> acceptedSignUpIds, AuditExpectations expectations)
    {
        var violations = new List<string>();
        var tables = new TableServiceClient(stack.ConnectionString);
        var expectedNeedsReview = expectations.NeedsReview;

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
        var alreadyEnrolled = new List<(string PersonKey, string SignUpId)>();
        var turnedAway = new List<(string PersonKey, string SignUpId, string Outcome)>();
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
            foreach (var person in JsonSerializer.Deserialize(record.GetString(nameof(SignUpRecord.Persons))!, SignUpJson.Default.ListPersonState)!)
            {
                if (expectations.Outcomes.TryGetValue(person.PersonKey, out var expected) && expected != person.Outcome)
                    violations.Add($"person {Short(person.PersonKey)} of sign-up {id} ended '{person.Outcome}', but should be '{expected}'");
                switch (person.Outcome)
                {
                    case PersonOutcome.Enrolled:
                        if (!enrolledClaims.TryAdd(person.PersonKey, id))
                            violations.Add($"person {Short(person.PersonKey)} is 'enrolled' by both {enrolledClaims[person.PersonKey]} and {id}");
                        break;
                    case PersonOutcome.AlreadyEnrolled:
                        alreadyEnrolled.Add((person.PersonKey, id));
                        break;
                    case PersonOutcome.NotInsured or PersonOutcome.IdentityMismatch:
                        turnedAway.Add((person.PersonKey, id, person.Outcome));
                        break;
                    default:
                        violations.Add($"person {Short(person.PersonKey)} of {status} sign-up {id} is '{person.Outcome}'");
                        break;
                }
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
            rows[personKey] = new EnrollmentRow
            {
                SignUpId = row.GetString(nameof(EnrollmentRow.SignUpId)) ?? "",
                Day = row.GetString(nameof(EnrollmentRow.Day)) ?? "",
                District = row.GetString(nameof(EnrollmentRow.District)) ?? "",
                Scheme = row.GetString(nameof(EnrollmentRow.Scheme)) ?? "",
                Relation = row.GetString(nameof(EnrollmentRow.Relation)) ?? "",
            };
        }
        foreach (var (personKey, signUpId) in enrolledClaims)
        {
            if (!rows.TryGetValue(personKey, out var row))
                violations.Add($"sign-up {signUpId} says person {Short(personKey)} enrolled, but there is no enrollment row");
            else if (row.SignUpId != signUpId)
                violations.Add($"sign-up {signUpId} says person {Short(personKey)} enrolled, but the row belongs to {row.SignUpId}");
        }
        foreach (var (personKey, row) in rows)
        {
            if (!enrolledClaims.ContainsKey(personKey))
                violations.Add($"enrollment row for {Short(personKey)} ({row.SignUpId}) has no sign-up claiming it as enrolled");
        }
        // "Already enrolled" must mean someone else holds the person's row: a sign-up that mistook its
        // own earlier enrollment (a redelivery) for another's would have lost that person.
        foreach (var (personKey, signUpId) in alreadyEnrolled)
        {
            if (!rows.TryGetValue(personKey, out var row))
                violations.Add($"sign-up {signUpId} says person {Short(personKey)} is already enrolled, but nobody holds the enrollment");
            else if (row.SignUpId == signUpId)
                violations.Add($"sign-up {signUpId} says person {Short(personKey)} is already enrolled elsewhere, but the enrollment is its own");
        }

        // Turned away takes nothing: a person a sign-up calls not insured or misnamed holds no enrollment of that sign-up.
        foreach (var (personKey, signUpId, outcome) in turnedAway)
        {
            if (rows.TryGetValue(personKey, out var row) && row.SignUpId == signUpId)
                violations.Add($"sign-up {signUpId} says person {Short(personKey)} is '{outcome}', but holds their enrollment");
        }

        violations.AddRange(TallyRecount.Check(counters, rows.Values));
        violations.AddRange(await TallyRecount.CheckOpsRouteAsync(stack, rows.Count));

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
            if (state is NotificationStates.Sending or NotificationStates.Retry)
                violations.Add($"sign-up {signUpId} notification never settled: '{state}'");
            if (state is NotificationStates.Failed or NotificationStates.Skipped && !expectations.NotificationNotSent.Contains(signUpId))
                violations.Add($"sign-up {signUpId} notification ended '{state}', which the run did not intend");
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
        violations.AddRange(await UnreviewedPoisonAsync(stack.ConnectionString));

        return new AuditReport(acceptedSignUpIds.Count, decided, needsReview, rows.Count, accepted.Count, counters.Sum(c => c.GetInt64(TallyColumns.Enrolled) ?? 0), violations)
        {
            NotificationRows = notifications.Values.GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
        };
    }

    /// <summary>Poison queues are drained by the review handlers; a message still there was never turned into a review.</summary>
    private static async Task<IEnumerable<string>> UnreviewedPoisonAsync(string connectionString)
    {
        var queues = new QueueServiceClient(connectionString);
        var found = new List<string>();
        foreach (var name in new[] { QueueNames.SignUpsPoison, QueueNames.NotificationsPoison })
        {
            var queue = queues.GetQueueClient(name);
            if (!await queue.ExistsAsync())
                continue;
            var count = (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;
            if (count > 0)
                found.Add($"{count} messages still sit in {name}");
        }
        return found;
    }

    private static string Short(string personKey) => personKey[..Math.Min(12, personKey.Length)] + "…";

    private static string SignUpIdOf(string? page) =>
        page is not null && page.IndexOf("id=", StringComparison.Ordinal) is var at and >= 0 ? page[(at + 3)..].Split('&')[0] : "";
}
