using HuiminBao.Diagnostics;
using HuiminBao.Domain;
using HuiminBao.Reviews;
using HuiminBao.SignUps;
using Microsoft.Extensions.Logging;

namespace HuiminBao.Privacy;

/// <summary>A sign-up whose personal data is gone; the route answers 204.</summary>
public sealed record ErasedSignUp(string SignUpId);

/// <summary>
/// <c>DELETE /api/ops/signups/{id}</c> (PIPL art. 47, deletion): erases a sign-up's personal data
/// wherever the pipeline keeps it. The sealed record and its outcomes go, the notification is
/// settled <c>erased</c> so nothing is sent any more, and the review row (which holds the queued
/// message: openid, masked names) goes. What stays is what holds no personal data or what the
/// one-enrollment-per-person rule needs: the enrollment rows (keyed hashes) and the tallies, and on
/// the record its owner key, plan year, times and consent, so the owner is told it was erased.
/// <para>
/// Every call does every step again, so a call cut off part-way is finished by the next one, and a
/// second call answers 204 like the first. Queue messages already on their way can't be taken off a
/// queue without taking them from their handlers; they carry no plaintext, expire
/// (<see cref="Queues.QueueRetention"/>), and each handler drops a message of an erased sign-up.
/// </para>
/// </summary>
public sealed partial class SignUpErasure(SignUpStore store, PoisonedSignUps reviews, TimeProvider time, ILogger<SignUpErasure> logger)
{
    public async Task<Outcome<ErasedSignUp>> EraseAsync(string signUpId, string? erasedBy, CancellationToken cancellationToken)
    {
        if (!SignUpKeys.IsWellFormed(signUpId))
            return ApiProblem.NotFound();
        var record = await store.FindAsync(signUpId, cancellationToken);
        if (record is null)
            return ApiProblem.NotFound();

        var repeated = record.IsErased;
        await EraseAsync(record, Erasures.Request, cancellationToken);
        await reviews.ForgetAsync(signUpId, cancellationToken);
        LogErased(logger, signUpId, erasedBy ?? "unknown", repeated);
        return new ErasedSignUp(signUpId);
    }

    /// <summary>The record and its notification row; an earlier erasure's time and reason are kept.</summary>
    public Task EraseAsync(SignUpRecord record, string erasure, CancellationToken cancellationToken) =>
        store.EraseAsync(record, record.Erasure ?? erasure, record.ErasedAt ?? time.GetUtcNow(), cancellationToken);

    [LoggerMessage(EventId = LogEvents.Privacy + 1, Level = LogLevel.Warning, Message = "Sign-up {SignUpId}: personal data erased on request by {ErasedBy} (repeated: {Repeated})")]
    private static partial void LogErased(ILogger logger, string signUpId, string erasedBy, bool repeated);
}
