using Azure;
using HuiminBao.Diagnostics;
using HuiminBao.Domain;
using HuiminBao.Queues;
using HuiminBao.SignUps;
using HuiminBao.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HuiminBao.Intake;

/// <summary>A validated sign-up, ready to store: sealed personal data, person keys, derived id.</summary>
public sealed record SignUpDraft(
    string SignUpId,
    string OpenId,
    string OwnerKey,
    int PlanYear,
    string Fingerprint,
    string Sealed,
    IReadOnlyList<QueuedPerson> Persons)
{
    /// <summary>What the applicant agreed to; stored with the server time the sign-up is accepted.</summary>
    public SignUpConsent? Consent { get; init; }
}

/// <param name="Version">The privacy-notice version accepted.</param>
/// <param name="GuardianFor">Insured persons under 14, for whom the applicant consents as guardian.</param>
public sealed record SignUpConsent(string Version, int GuardianFor);

/// <summary>
/// Makes a sign-up durable and gets it onto <c>signups</c> exactly once (in a message it may share
/// with sign-ups accepted at the same moment, <see cref="SignUpSends"/>).
/// <para>
/// The record is stored first (the insert is the duplicate check: ids are derived from the request),
/// then the message is sent, then the record is marked <c>Queued</c>. A 202 is only given once the
/// message is known to be on the queue, so nothing answered 202 can be stranded. A replay that finds
/// the record not yet marked waits for the request that owns the enqueue claim, or, once that claim
/// has lapsed (its owner failed or died), takes the claim with an ETag-conditional update and sends
/// the message itself. Concurrent replays therefore add no second message, and a retry after a failed
/// enqueue re-sends it.
/// </para>
/// <para>
/// A sign-up without an Idempotency-Key is named by its body, generation by generation (see
/// <see cref="AdmitAsync(Func{int, SignUpDraft}, CancellationToken)"/>), so the same household posted
/// again after a decision that turned someone away is evaluated again rather than replayed forever.
/// </para>
/// </summary>
public sealed partial class SignUpAdmission(
    SignUpStore store,
    SignUpSends queue,
    PipelineMetrics metrics,
    IntakePressure pressure,
    IOptions<IntakeOptions> options,
    TimeProvider time,
    ILogger<SignUpAdmission> logger)
{
    private static readonly TimeSpan EnqueueBudget = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ReplayPoll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);

    /// <summary>Sends lagging this far behind mean a stalled or throttled queue: see the shedding check in <c>AdmitAsync</c>.</summary>
    private static readonly TimeSpan SheddingLag = TimeSpan.FromSeconds(2);

    /// <summary>How many times one household, posted again unchanged, is evaluated anew; after that its latest sign-up answers.</summary>
    public const int MaxReevaluations = 10;

    /// <summary>A sign-up with an Idempotency-Key: the key names it, and a retry replays it whatever became of it.</summary>
    public async Task<Outcome<SignUpAccepted>> AdmitAsync(SignUpDraft draft, CancellationToken cancellationToken) =>
        (await AdmitAsync(draft, reevaluable: false, cancellationToken))!.Value;

    /// <summary>
    /// A sign-up without a key, named by its body: <paramref name="draftOf"/> gives generation n's draft.
    /// Posted again while its sign-up is pending (or in review, or once it enrolled everyone, or
    /// within <see cref="IntakeOptions.ReevaluateAfter"/> of its decision), it is that sign-up. Posted
    /// again later after that sign-up was decided with someone turned away (rejected, partially
    /// enrolled), the roster may have changed since: the next generation is a new sign-up, evaluated
    /// again. Generation n + 1 is only inserted after n was read decided, and the insert is
    /// the duplicate check, so concurrent posts land on one new sign-up and two pending sign-ups of
    /// one body never exist.
    /// </summary>
    public async Task<Outcome<SignUpAccepted>> AdmitAsync(Func<int, SignUpDraft> draftOf, CancellationToken cancellationToken)
    {
        for (var generation = 0; ; generation++)
        {
            if (await AdmitAsync(draftOf(generation), reevaluable: generation < MaxReevaluations, cancellationToken) is { } admitted)
                return admitted;
        }
    }

    /// <returns>The answer, or null when <paramref name="reevaluable"/> and the sign-up of this id was decided: the caller tries the next generation.</returns>
    private async Task<Outcome<SignUpAccepted>?> AdmitAsync(SignUpDraft draft, bool reevaluable, CancellationToken cancellationToken)
    {
        // A person is waiting on every storage call from here on: they go ahead of processing's.
        using var priority = StoragePriority.Intake();
        // Refused before anything is stored: waiting in line behind a stalled queue would only end in
        // a 503 after the enqueue budget, having held the client and spent storage calls meanwhile.
        if (queue.Lag is var lag && lag > SheddingLag)
        {
            LogShed(logger, draft.SignUpId, lag.TotalSeconds);
            pressure.IntakeRefused();
            return ApiProblem.Unavailable(ErrorCodes.StorageUnavailable, RetryAfter);
        }
        var started = time.GetTimestamp();

        var now = time.GetUtcNow();
        var record = new SignUpRecord
        {
            PartitionKey = SignUpKeys.Partition(draft.SignUpId),
            RowKey = SignUpKeys.RecordRow(draft.SignUpId),
            OwnerKey = draft.OwnerKey,
            PlanYear = draft.PlanYear,
            Status = SignUpStatus.Pending,
            AcceptedAt = now,
            Fingerprint = draft.Fingerprint,
            Sealed = draft.Sealed,
            Persons = PersonStates.Write([.. draft.Persons.Select(p => new PersonState(p.PersonKey, p.Relation, PersonOutcome.Pending))]),
            EnqueueClaimedAt = now,
            ConsentVersion = draft.Consent?.Version,
            ConsentedAt = draft.Consent is null ? null : now,
            ConsentGuardianFor = draft.Consent?.GuardianFor,
        };

        // A client gone before the write stores nothing. Once the write has started it runs to its
        // answer whatever the client does: cancelled half-way, it would leave a stored sign-up that
        // nobody queues (only the sweep would find it, minutes later).
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            await store.AddAsync(record, CancellationToken.None);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return await ReplayAsync(draft, reevaluable, cancellationToken);
        }
        catch (RequestFailedException e)
        {
            LogStoreFailed(logger, draft.SignUpId, e.Status, e.ErrorCode);
            pressure.IntakeRefused();
            return ApiProblem.Unavailable(ErrorCodes.StorageUnavailable, RetryAfter);
        }

        LogStored(logger, draft.SignUpId, draft.PlanYear, draft.Persons.Count);
        var admitted = await EnqueueAsync(draft, now, replayed: false);
        // What the processing gate watches: how long storage kept this sign-up waiting, and refusals.
        if (admitted.Problem is null)
            pressure.IntakeTook(time.GetElapsedTime(started));
        else
            pressure.IntakeRefused();
        return admitted;
    }

    private async Task<Outcome<SignUpAccepted>?> ReplayAsync(SignUpDraft draft, bool reevaluable, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + options.Value.EnqueueClaim + EnqueueBudget;
        while (true)
        {
            var existing = await store.FindAsync(draft.SignUpId, cancellationToken)
                ?? throw new RequestFailedException(404, $"Sign-up {draft.SignUpId} vanished after its insert conflicted.");
            // An erased record has lost its fingerprint with the rest; the same request again learns why.
            if (existing.IsErased)
                return ApiProblem.Erased();
            if (existing.Fingerprint != draft.Fingerprint)
                return ApiProblem.Of(422, ErrorCodes.IdempotencyKeyReused);
            if (reevaluable && existing.Status is SignUpStatus.Rejected or SignUpStatus.PartiallyEnrolled
                && existing.DecidedAt is { } decided && time.GetUtcNow() - decided >= options.Value.ReevaluateAfter)
            {
                LogReevaluating(logger, draft.SignUpId, existing.Status);
                return null;
            }
            if (existing.Queued || existing.Status != SignUpStatus.Pending)
                return new SignUpAccepted(draft.SignUpId, existing.Status) { Replayed = true };

            var now = time.GetUtcNow();
            if (existing.EnqueueClaimedAt is not { } claimed || now - claimed >= options.Value.EnqueueClaim)
            {
                // Lost to another replay that took the claim a moment ago: wait for it like for the original.
                if (!await store.TryClaimEnqueueAsync(existing, now, cancellationToken))
                    continue;
                LogClaimTaken(logger, draft.SignUpId);
                return await EnqueueAsync(draft, existing.AcceptedAt, replayed: true);
            }

            if (now >= deadline)
                return ApiProblem.Unavailable(ErrorCodes.StorageUnavailable, RetryAfter);
            await Task.Delay(ReplayPoll, time, cancellationToken);
        }
    }

    /// <summary>
    /// Once the record exists the enqueue must not depend on the caller staying connected, so it runs
    /// on its own time budget rather than the request's cancellation.
    /// </summary>
    private async Task<Outcome<SignUpAccepted>> EnqueueAsync(SignUpDraft draft, DateTimeOffset acceptedAt, bool replayed)
    {
        var message = new SignUpQueued(draft.SignUpId, draft.OpenId, draft.PlanYear, acceptedAt, draft.Persons);
        using var budget = new CancellationTokenSource(EnqueueBudget, time);
        try
        {
            await queue.SendAsync(message, budget.Token);
        }
        catch (Exception e) when (e is RequestFailedException or OperationCanceledException)
        {
            LogEnqueueFailed(logger, draft.SignUpId, e.GetType().Name);
            await ReleaseClaimAsync(draft.SignUpId);
            return ApiProblem.Unavailable(ErrorCodes.StorageUnavailable, RetryAfter);
        }

        // The message is on the queue: that is what the 202 promises. The mark only spares later
        // replays a wait, so the caller doesn't wait for it.
        _ = MarkQueuedAsync(draft.SignUpId);

        LogQueued(logger, draft.SignUpId, replayed);
        if (!replayed)
            metrics.SignUpAccepted();
        return new SignUpAccepted(draft.SignUpId, SignUpStatus.Pending) { Replayed = replayed };
    }

    /// <summary>
    /// Tells replays the message is on the queue. If this write is lost (storage fails, the process
    /// dies), a replay waits for the claim to lapse and queues a second copy, which the idempotent
    /// validation stage absorbs.
    /// </summary>
    private async Task MarkQueuedAsync(string signUpId)
    {
        try
        {
            await store.MarkQueuedAsync(signUpId, CancellationToken.None);
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException or OperationCanceledException)
        {
            LogMarkFailed(logger, signUpId, e.GetType().Name);
        }
    }

    /// <summary>Lets the caller's retry take over at once instead of waiting for the claim to lapse.</summary>
    private async Task ReleaseClaimAsync(string signUpId)
    {
        try
        {
            await store.ReleaseEnqueueClaimAsync(signUpId, CancellationToken.None);
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException or OperationCanceledException)
        {
            LogMarkFailed(logger, signUpId, e.GetType().Name);
        }
    }

    [LoggerMessage(EventId = LogEvents.Intake + 10, Level = LogLevel.Information, Message = "Sign-up {SignUpId} stored for plan year {PlanYear} with {InsuredCount} insured")]
    private static partial void LogStored(ILogger logger, string signUpId, int planYear, int insuredCount);

    [LoggerMessage(EventId = LogEvents.Intake + 11, Level = LogLevel.Information, Message = "Sign-up {SignUpId} queued (replayed: {Replayed})")]
    private static partial void LogQueued(ILogger logger, string signUpId, bool replayed);

    [LoggerMessage(EventId = LogEvents.Intake + 12, Level = LogLevel.Warning, Message = "Sign-up {SignUpId}: a retry took over the enqueue claim")]
    private static partial void LogClaimTaken(ILogger logger, string signUpId);

    [LoggerMessage(EventId = LogEvents.Intake + 13, Level = LogLevel.Error, Message = "Sign-up {SignUpId} could not be stored: {Status} {ErrorCode}")]
    private static partial void LogStoreFailed(ILogger logger, string signUpId, int status, string? errorCode);

    [LoggerMessage(EventId = LogEvents.Intake + 14, Level = LogLevel.Error, Message = "Sign-up {SignUpId} stored but not queued ({Error}); answering 503 so the client retries")]
    private static partial void LogEnqueueFailed(ILogger logger, string signUpId, string error);

    [LoggerMessage(EventId = LogEvents.Intake + 17, Level = LogLevel.Information, Message = "Sign-up {SignUpId} was decided {Status} and its household is posted again: evaluating it again as a new sign-up")]
    private static partial void LogReevaluating(ILogger logger, string signUpId, string status);

    [LoggerMessage(EventId = LogEvents.Intake + 16, Level = LogLevel.Warning, Message = "Sign-up {SignUpId} refused for now: queue sends lag {LagSeconds:0.0} s behind")]
    private static partial void LogShed(ILogger logger, string signUpId, double lagSeconds);

    [LoggerMessage(EventId = LogEvents.Intake + 15, Level = LogLevel.Warning, Message = "Sign-up {SignUpId}: could not update its enqueue mark ({Error})")]
    private static partial void LogMarkFailed(ILogger logger, string signUpId, string error);
}
