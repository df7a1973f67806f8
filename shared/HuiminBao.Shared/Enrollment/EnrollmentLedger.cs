using System.Collections.Concurrent;
using HuiminBao.Diagnostics;
using HuiminBao.Storage;
using Microsoft.Extensions.Logging;

namespace HuiminBao.Enrollment;

public enum EnrollResult
{
    /// <summary>Enrolled by this sign-up (now, or by an earlier delivery of the same message).</summary>
    Enrolled,

    /// <summary>Another sign-up enrolled this person for this plan year first.</summary>
    AlreadyEnrolled,
}

/// <summary>
/// Records enrollments and counts them, exactly once. Each enrollment row is inserted in the same
/// entity-group transaction as its shard's daily counter (ETag-conditional): if the person is
/// already enrolled the insert fails and nothing is counted, so a redelivered message can neither
/// enroll twice nor count twice, and a crash leaves both writes or neither.
/// <para>
/// Enrollments waiting for the same shard are committed together (group commit): one transaction
/// carries every waiting enrollment and a single update of each day's counter, so under load the
/// storage calls per enrollment fall, and the counter, updated once per transaction instead of once
/// per person, stays cool even with many instances writing.
/// </para>
/// </summary>
public sealed partial class EnrollmentLedger(StorageAccount storage, ILogger<EnrollmentLedger> logger)
{
    private readonly ConcurrentDictionary<string, ShardCommitter> _shards = new(StringComparer.Ordinal);

    public Task<EnrollResult> EnrollAsync(PersonEnrollment enrollment, CancellationToken cancellationToken)
    {
        var partition = EnrollmentKeys.Partition(enrollment.PlanYear, enrollment.PersonKey);
        var shard = _shards.GetOrAdd(partition, p => new ShardCommitter(p, storage.Table(TableNames.Enrollments), logger));
        // Once handed over, the enrollment is committed or refused whatever happens to this caller;
        // a cancelled caller only stops waiting, and its redelivery will find the outcome.
        return shard.Submit(enrollment).WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Whether this sign-up's own enrollment of the person is committed (by an earlier delivery of
    /// its message): one point read, outside the group commit. Validation asks this before telling
    /// someone the lookup now turns away that they are not enrolled, so the outcome never contradicts
    /// the ledger and the tally.
    /// </summary>
    public async Task<bool> IsEnrolledByAsync(int planYear, string personKey, string signUpId, CancellationToken cancellationToken)
    {
        var found = await storage.Table(TableNames.Enrollments).GetEntityIfExistsAsync<EnrollmentRow>(
            EnrollmentKeys.Partition(planYear, personKey), EnrollmentKeys.EnrollmentRow(personKey), [nameof(EnrollmentRow.SignUpId)], cancellationToken);
        return found.HasValue && found.Value is { } row && string.Equals(row.SignUpId, signUpId, StringComparison.Ordinal);
    }

    [LoggerMessage(EventId = LogEvents.Ledger + 1, Level = LogLevel.Debug, Message = "Counter {Partition}/{Row} moved under us (attempt {Attempt}); re-reading")]
    internal static partial void LogCounterConflict(ILogger logger, string partition, string row, int attempt);

    [LoggerMessage(EventId = LogEvents.Ledger + 3, Level = LogLevel.Error, Message = "Shard {Partition}: a commit failed with {Error}; its callers were failed and the shard goes on")]
    internal static partial void LogCommitFailed(ILogger logger, string partition, string error);

    [LoggerMessage(EventId = LogEvents.Ledger + 2, Level = LogLevel.Debug, Message = "Shard {Partition}: committed {Enrollments} enrollments in one transaction")]
    internal static partial void LogCommitted(ILogger logger, string partition, int enrollments);
}
