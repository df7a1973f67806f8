using HuiminBao.Diagnostics;
using HuiminBao.Domain;
using HuiminBao.Enrollment.Eligibility;
using HuiminBao.Notifications;
using HuiminBao.Queues;
using HuiminBao.SignUps;
using Microsoft.Extensions.Logging;

namespace HuiminBao.Enrollment;

/// <summary>
/// The <c>signups</c> stage, for each sign-up in a message: for each insured person, asks the basic-insurance lookup, enrolls
/// (and counts) the active ones through the <see cref="EnrollmentLedger"/>, then writes every
/// outcome and the sign-up's final status and queues the applicant's notification.
/// <para>
/// Every step is safe to repeat, so a redelivery after a crash between any two writes ends in the
/// same state as one clean run: the ledger recognises this sign-up's own earlier enrollments, the
/// outcome write is a merge of the same values, and a repeated notification message is dropped by
/// the notification stage.
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
    ProcessingGate gate,
    TimeProvider time,
    ILogger<SignUpValidation> logger) : IQueueHandler<SignUpBatch>
{
    public Task HandleAsync(SignUpBatch message, QueueDelivery delivery, CancellationToken cancellationToken) =>
        SharedMessage.HandleEachAsync(gate, QueueNames.SignUps, message.SignUps, s => s.SignUpId, signUp => ValidateAsync(signUp, delivery, cancellationToken),
            (failed, count) => LogPartlyFailed(logger, failed, count, delivery.MessageId, delivery.DequeueCount), cancellationToken);

    public async Task ValidateAsync(SignUpQueued message, QueueDelivery delivery, CancellationToken cancellationToken)
    {
        var idNumbers = insurance.NeedsIdNumber ? await ReadIdNumbersAsync(message.SignUpId, cancellationToken) : null;
        var day = BeijingTime.DayOf(message.AcceptedAt);

        var states = new List<PersonState>(message.Persons.Count);
        for (var i = 0; i < message.Persons.Count; i++)
        {
            var person = message.Persons[i];
            var status = await insurance.LookupAsync(new PersonToCheck(person.PersonKey, idNumbers?[i]), cancellationToken);
            if (!status.IsActive)
            {
                states.Add(new PersonState(person.PersonKey, person.Relation, PersonOutcome.NotInsured, NotInsuredReason(status)));
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
    }

    internal static string Decide(IReadOnlyList<PersonState> states)
    {
        var enrolled = states.Count(s => s.Outcome == PersonOutcome.Enrolled);
        return enrolled == states.Count ? SignUpStatus.Enrolled
            : enrolled == 0 ? SignUpStatus.Rejected
            : SignUpStatus.PartiallyEnrolled;
    }

    private static string NotInsuredReason(InsuranceStatus status) => status switch
    {
        { Found: false } => OutcomeReasons.NotOnRoster,
        { Status: InsuranceStates.Suspended } => OutcomeReasons.Suspended,
        _ => OutcomeReasons.Terminated,
    };

    private async Task<IReadOnlyList<string>> ReadIdNumbersAsync(string signUpId, CancellationToken cancellationToken)
    {
        var record = await store.FindAsync(signUpId, cancellationToken)
            ?? throw new InvalidOperationException($"Sign-up {signUpId} is queued but has no record.");
        return [.. store.Open(record).Insured.Select(p => p.IdNumber)];
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

    [LoggerMessage(EventId = LogEvents.Enrollment + 2, Level = LogLevel.Warning, Message = "{FailedCount} of the {SignUpCount} sign-ups in message {MessageId} failed (delivery {DequeueCount}); the message will come back")]
    private static partial void LogPartlyFailed(ILogger logger, int failedCount, int signUpCount, string messageId, long dequeueCount);
}
