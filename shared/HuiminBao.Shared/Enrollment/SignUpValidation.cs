using HuiminBao.Diagnostics;
using HuiminBao.Domain;
using HuiminBao.Enrollment.Eligibility;
using HuiminBao.Notifications;
using HuiminBao.Queues;
using HuiminBao.Security;
using HuiminBao.SignUps;
using Microsoft.Extensions.Logging;

namespace HuiminBao.Enrollment;

/// <summary>
/// The <c>signups</c> stage, for each sign-up in a message: asks the basic-insurance lookup about
/// every insured person by name and ID number, then enrolls (and counts) the active ones whose name
/// matched through the <see cref="EnrollmentLedger"/>, then writes every outcome and the sign-up's
/// final status and queues the applicant's notification. Every lookup comes before the first
/// enrollment, so a name that doesn't match, like anyone else turned away, takes nothing: the
/// person can still enroll under their own name.
/// <para>
/// Every step is safe to repeat, so a redelivery after a crash between any two writes ends in the
/// same state as one clean run: the ledger recognises this sign-up's own earlier enrollments, the
/// outcome write is a merge of the same values, and a repeated notification message is dropped by
/// the notification stage. A redelivery that finds the roster changed meanwhile still reports an
/// enrollment this sign-up already committed: the ledger, not the latest lookup, says who is enrolled.
/// </para>
/// <para>
/// The sign-ups sharing a message are handled side by side and independently. If any fails, the
/// message fails after the others are done: it comes back, the finished ones repeat harmlessly, and
/// if it is poisoned only the still-undecided ones go to review (<see cref="Reviews.SignUpPoisonReview"/>).
/// </para>
/// </summary>
public sealed partial class SignUpValidation(
    SignUpStore store,
    NotificationSends notifications,
    IInsuranceLookup insurance,
    EnrollmentLedger ledger,
    PipelineMetrics metrics,
    KeyedHashes hashes,
    ProcessingGate gate,
    TimeProvider time,
    ILogger<SignUpValidation> logger) : IQueueHandler<SignUpBatch>
{
    public Task HandleAsync(SignUpBatch message, QueueDelivery delivery, CancellationToken cancellationToken) =>
        SharedMessage.HandleEachAsync(gate, QueueNames.SignUps, message.SignUps, s => s.SignUpId, signUp => ValidateAsync(signUp, delivery, cancellationToken),
            (failed, count) => LogPartlyFailed(logger, failed, count, delivery.MessageId, delivery.DequeueCount), cancellationToken);

    public async Task ValidateAsync(SignUpQueued message, QueueDelivery delivery, CancellationToken cancellationToken)
    {
        var record = await store.FindAsync(message.SignUpId, cancellationToken)
            ?? throw new InvalidOperationException($"Sign-up {message.SignUpId} is queued but has no record.");
        // Erased before its message was handled: enrolling, recording outcomes or notifying would bring
        // back what the person asked to delete. The message is done; nothing of it is kept.
        if (record.IsErased)
        {
            LogErasedSkipped(logger, message.SignUpId, delivery.MessageId);
            return;
        }
        var checks = PeopleToCheck(message, record);
        var statuses = new InsuranceStatus[checks.Count];
        for (var i = 0; i < checks.Count; i++)
            statuses[i] = await insurance.LookupAsync(checks[i], cancellationToken);

        var day = BeijingTime.DayOf(message.AcceptedAt);
        var states = new List<PersonState>(message.Persons.Count);
        for (var i = 0; i < message.Persons.Count; i++)
        {
            var person = message.Persons[i];
            var status = statuses[i];
            if (!status.IsActive)
            {
                if (await ledger.IsEnrolledByAsync(message.PlanYear, person.PersonKey, message.SignUpId, cancellationToken))
                {
                    LogKeptEnrollment(logger, message.SignUpId, i, status.Finding, status.Status);
                    states.Add(new PersonState(person.PersonKey, person.Relation, PersonOutcome.Enrolled));
                }
                else
                {
                    states.Add(NotEligible(person, status));
                }
                continue;
            }

            var enrollment = new PersonEnrollment(message.PlanYear, person.PersonKey, message.SignUpId, person.Relation,
                status.District ?? TallyColumns.UnknownDistrict, status.Scheme ?? "", day, time.GetUtcNow());
            var result = await ledger.EnrollAsync(enrollment, cancellationToken);
            states.Add(result == EnrollResult.Enrolled
                ? new PersonState(person.PersonKey, person.Relation, PersonOutcome.Enrolled)
                : new PersonState(person.PersonKey, person.Relation, PersonOutcome.AlreadyEnrolled, OutcomeReasons.EnrolledElsewhere));
        }

        var final = Decide(states);
        await store.WriteOutcomeAsync(message.SignUpId, final, states, time.GetUtcNow(), cancellationToken);
        await QueueNotificationAsync(message, final, states, cancellationToken);
        var enrolledCount = states.Count(s => s.Outcome == PersonOutcome.Enrolled);
        LogDecided(logger, message.SignUpId, final, enrolledCount, states.Count, delivery.DequeueCount);
        metrics.SignUpDecided(time.GetUtcNow() - message.AcceptedAt);
    }

    internal static string Decide(IReadOnlyList<PersonState> states)
    {
        var enrolled = states.Count(s => s.Outcome == PersonOutcome.Enrolled);
        return enrolled == states.Count ? SignUpStatus.Enrolled
            : enrolled == 0 ? SignUpStatus.Rejected
            : SignUpStatus.PartiallyEnrolled;
    }

    private static PersonState NotEligible(QueuedPerson person, InsuranceStatus status) => status switch
    {
        { Finding: InsuranceFinding.NameMismatch } => new(person.PersonKey, person.Relation, PersonOutcome.IdentityMismatch, OutcomeReasons.NameMismatch),
        { Finding: InsuranceFinding.NotFound } => new(person.PersonKey, person.Relation, PersonOutcome.NotInsured, OutcomeReasons.NotOnRoster),
        { Status: InsuranceStates.Suspended } => new(person.PersonKey, person.Relation, PersonOutcome.NotInsured, OutcomeReasons.Suspended),
        _ => new(person.PersonKey, person.Relation, PersonOutcome.NotInsured, OutcomeReasons.Terminated),
    };

    /// <summary>
    /// The roster needs only the keys the message carries. The 医保 service needs the ID numbers and
    /// names, and a message queued before name keys were carried lacks them: both come from the
    /// sealed record then (read anyway, to see whether it was erased), which only <see cref="SignUpStore"/> opens.
    /// </summary>
    private List<PersonToCheck> PeopleToCheck(SignUpQueued message, SignUpRecord record)
    {
        if (!insurance.NeedsIdentity && message.Persons.All(p => p.NameKey is not null))
            return [.. message.Persons.Select(p => new PersonToCheck(p.PersonKey, p.NameKey!))];

        var insured = store.Open(record).Insured;
        if (insured.Count != message.Persons.Count)
            throw new InvalidOperationException($"Sign-up {message.SignUpId}: its message and its record name different households.");
        var checks = new List<PersonToCheck>(insured.Count);
        for (var i = 0; i < insured.Count; i++)
        {
            var (idNumber, name) = (insured[i].IdNumber, insured[i].Name);
            if (hashes.PersonKey(idNumber) != message.Persons[i].PersonKey)
                throw new InvalidOperationException($"Sign-up {message.SignUpId}: insured person {i} of its message is not the one in its record.");
            checks.Add(insurance.NeedsIdentity
                ? new PersonToCheck(message.Persons[i].PersonKey, hashes.NameKey(idNumber, name), idNumber, name)
                : new PersonToCheck(message.Persons[i].PersonKey, hashes.NameKey(idNumber, name)));
        }
        return checks;
    }

    private async Task QueueNotificationAsync(SignUpQueued message, string final, List<PersonState> states, CancellationToken cancellationToken)
    {
        var notification = new NotificationQueued(
            message.SignUpId,
            message.OpenId,
            message.PlanYear,
            final,
            [.. message.Persons.Select((p, i) => new NotifiedPerson(p.MaskedName, p.Relation, states[i].Outcome, states[i].Reason))]);
        await notifications.SendAsync(notification, cancellationToken);
    }

    [LoggerMessage(EventId = LogEvents.Enrollment + 1, Level = LogLevel.Information, Message = "Sign-up {SignUpId} decided {Status}: {EnrolledCount} of {InsuredCount} enrolled (delivery {DequeueCount})")]
    private static partial void LogDecided(ILogger logger, string signUpId, string status, int enrolledCount, int insuredCount, long dequeueCount);

    [LoggerMessage(EventId = LogEvents.Enrollment + 3, Level = LogLevel.Information, Message = "Sign-up {SignUpId} was erased before message {MessageId} was handled; dropped without enrolling or notifying")]
    private static partial void LogErasedSkipped(ILogger logger, string signUpId, string messageId);

    [LoggerMessage(EventId = LogEvents.Enrollment + 4, Level = LogLevel.Warning, Message = "Sign-up {SignUpId}: insured person {Index} is now {Finding} {Status} by the lookup, but this sign-up's enrollment of them was already committed; it stands")]
    private static partial void LogKeptEnrollment(ILogger logger, string signUpId, int index, InsuranceFinding finding, string? status);

    [LoggerMessage(EventId = LogEvents.Enrollment + 2, Level = LogLevel.Warning, Message = "{FailedCount} of the {SignUpCount} sign-ups in message {MessageId} failed (delivery {DequeueCount}); the message will come back")]
    private static partial void LogPartlyFailed(ILogger logger, int failedCount, int signUpCount, string messageId, long dequeueCount);
}
