using System.Security.Cryptography;
using System.Text.Json;
using Azure;
using HuiminBao.Diagnostics;
using HuiminBao.Security;
using HuiminBao.SignUps;
using HuiminBao.Timers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HuiminBao.Intake;

/// <summary>
/// Finds sign-ups that were stored but never queued and queues them: the process died between the
/// insert and the send, or the send failed, the client was answered 503 and never came back. Without
/// this they would stay <c>pending</c> for good. It takes the enqueue claim the way a client's retry
/// does (<see cref="SignUpAdmission"/>), only once the claim has lapsed, so it never races a request
/// still at work, and two sweeps (two instances, a timer firing twice) can't both send. A sign-up
/// whose message did go out but whose queued mark was lost is queued again; the validation stage
/// absorbs the copy. Runs in both hosts on <see cref="SignUpSweepOptions.Schedule"/>.
/// </summary>
public sealed partial class SignUpSweep(
    SignUpStore store,
    SignUpSends queue,
    KeyedHashes hashes,
    IOptions<SignUpSweepOptions> options,
    IOptions<IntakeOptions> intake,
    TimeProvider time,
    ILogger<SignUpSweep> logger) : ITimerHandler
{
    public const string FunctionName = "SweepUnqueuedSignUps";

    public async Task RunAsync(TimerFiring firing, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var (found, queued) = (0, 0);
        await foreach (var record in store.FindUnqueuedAsync(now - settings.MinAge, settings.MaxPerRun, cancellationToken))
        {
            found++;
            if (await TryQueueAsync(record, now, cancellationToken))
                queued++;
        }
        if (found > 0)
            LogSwept(logger, found, queued);
    }

    private async Task<bool> TryQueueAsync(SignUpRecord record, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (record.EnqueueClaimedAt is { } claimed && now - claimed < intake.Value.EnqueueClaim)
            return false;
        if (Message(record) is not { } message || !await store.TryClaimEnqueueAsync(record, now, cancellationToken))
            return false;
        try
        {
            await queue.SendAsync(message, cancellationToken);
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // The claim lapses and the next run tries again.
            LogSendFailed(logger, record.SignUpId, e.GetType().Name);
            return false;
        }
        await store.MarkQueuedAsync(record.SignUpId, cancellationToken);
        LogQueued(logger, record.SignUpId, (now - record.AcceptedAt).TotalMinutes);
        return true;
    }

    /// <summary>The message intake would have sent, from the sealed record; null if the record can't be read back.</summary>
    private SignUpQueued? Message(SignUpRecord record)
    {
        try
        {
            var personal = store.Open(record);
            var persons = personal.Insured.Select(p => QueuedPersons.Of(hashes, p.IdNumber, p.Name, p.Relation)).ToList();
            if (!persons.Select(p => p.PersonKey).SequenceEqual(PersonStates.Read(record.Persons).Select(p => p.PersonKey), StringComparer.Ordinal))
                throw new FormatException("The sealed household is not the one the record lists.");
            return new SignUpQueued(record.SignUpId, personal.OpenId, record.PlanYear, record.AcceptedAt, persons);
        }
        catch (Exception e) when (e is CryptographicException or JsonException or FormatException)
        {
            LogUnreadable(logger, record.SignUpId, e.GetType().Name);
            return null;
        }
    }

    [LoggerMessage(EventId = LogEvents.Intake + 30, Level = LogLevel.Warning, Message = "Sign-up {SignUpId} was stored {AgeMinutes:0.0} min ago but never queued; the sweep queued it")]
    private static partial void LogQueued(ILogger logger, string signUpId, double ageMinutes);

    [LoggerMessage(EventId = LogEvents.Intake + 31, Level = LogLevel.Information, Message = "Sign-up sweep: {Found} stored but unqueued, {Queued} queued by this run")]
    private static partial void LogSwept(ILogger logger, int found, int queued);

    [LoggerMessage(EventId = LogEvents.Intake + 32, Level = LogLevel.Warning, Message = "Sign-up sweep could not queue {SignUpId} ({Error}); the next run tries again")]
    private static partial void LogSendFailed(ILogger logger, string signUpId, string error);

    [LoggerMessage(EventId = LogEvents.Intake + 33, Level = LogLevel.Error, Message = "Sign-up {SignUpId} is stored but unreadable ({Error}) and can't be queued; check Security:DataKey and Security:RetiredDataKeys")]
    private static partial void LogUnreadable(ILogger logger, string signUpId, string error);
}
