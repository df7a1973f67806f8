using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using HuiminBao.Diagnostics;
using HuiminBao.Domain;
using HuiminBao.Security;
using HuiminBao.SignUps;
using HuiminBao.WeChat;
using Microsoft.Extensions.Logging;

namespace HuiminBao.Privacy;

/// <param name="KeyId">The current data key's id, which everything processed is now sealed under.</param>
/// <param name="Examined">Records this call looked at (only ones sealed under another key are read).</param>
/// <param name="Resealed">Records this call sealed again.</param>
/// <param name="AccessTokenResealed">Whether the stored WeChat access token was sealed again (first call only).</param>
/// <param name="Continuation">Pass back as <c>?continuation=</c> for the next batch; null when <paramref name="Done"/>.</param>
public sealed record ResealProgress(string KeyId, int Examined, int Resealed, bool AccessTokenResealed, string? Continuation, bool Done);

/// <summary>
/// <c>POST /api/ops/reseal[?continuation=&amp;limit=]</c>: after a data-key rotation, seals stored
/// personal data again under the current key, so the retired key can be dropped. Each call does a
/// bounded batch (at most <c>limit</c> records, default <see cref="DefaultLimit"/>, and about
/// <see cref="Budget"/> of work) and answers where it got to; ops call again with that until
/// <c>done</c>. The first call also re-seals the WeChat access token row.
/// <para>
/// Only records sealed under another key are read (the storage query leaves the rest out), and
/// a value already under the current key is never written, so a repeated or overlapping run costs
/// reads at most. The continuation is a position in key order; starting over without it is always
/// correct too, just slower.
/// </para>
/// </summary>
public sealed partial class DataKeyReseal(SignUpStore store, WeChatAccessTokens accessTokens, PersonalDataCipher cipher, ILogger<DataKeyReseal> logger)
{
    public const int DefaultLimit = 500;
    public const int MaxLimit = 1000;

    /// <summary>Keeps one call well inside an HTTP request's patience, whatever the batch.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(20);

    /// <summary>Records re-sealed side by side; the position moves on once all of them are written.</summary>
    private const int Chunk = 16;

    public async Task<Outcome<ResealProgress>> RunAsync(string? continuation, string? limit, string? caller, CancellationToken cancellationToken)
    {
        var max = DefaultLimit;
        if (!string.IsNullOrEmpty(limit) && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out max) || max is < 1 or > MaxLimit))
            return ApiProblem.BadRequest(ErrorCodes.ResealLimitInvalid);
        RecordPosition? after = null;
        if (!string.IsNullOrEmpty(continuation) && (after = Decode(continuation)) is null)
            return ApiProblem.BadRequest(ErrorCodes.ContinuationInvalid);

        var started = Stopwatch.GetTimestamp();
        var tokenResealed = after is null && await accessTokens.ResealAsync(cancellationToken);
        var examined = 0;
        var resealed = 0;
        var position = after;
        var chunk = new List<SignUpRecord>(Chunk);
        var done = true;
        await foreach (var record in store.SealedRecordsAsync(new SealedRecordScan(NotUnderKeyId: cipher.CurrentKeyId, After: after, PageSize: Math.Min(max, 1000)), cancellationToken))
        {
            chunk.Add(record);
            if (chunk.Count < Chunk && examined + chunk.Count < max)
                continue;
            resealed += await ResealAsync(chunk, cancellationToken);
            examined += chunk.Count;
            position = new RecordPosition(record.PartitionKey, record.RowKey);
            chunk.Clear();
            if (examined >= max || Stopwatch.GetElapsedTime(started) >= Budget)
            {
                done = false;
                break;
            }
        }
        if (chunk.Count > 0)
        {
            resealed += await ResealAsync(chunk, cancellationToken);
            examined += chunk.Count;
            position = new RecordPosition(chunk[^1].PartitionKey, chunk[^1].RowKey);
        }

        LogBatch(logger, caller ?? "unknown", examined, resealed, tokenResealed, cipher.CurrentKeyId, done);
        return new ResealProgress(cipher.CurrentKeyId, examined, resealed, tokenResealed, done ? null : Encode(position!), done);
    }

    private async Task<int> ResealAsync(List<SignUpRecord> chunk, CancellationToken cancellationToken)
    {
        var outcomes = await Task.WhenAll(chunk.Select(record => store.ResealAsync(record, cancellationToken)));
        return outcomes.Count(o => o == ResealOutcome.Resealed);
    }

    /// <summary>Opaque to ops: the last record done, as base64url of <c>partition/row</c>.</summary>
    private static string Encode(RecordPosition position) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{position.PartitionKey}/{position.RowKey}"));

    private static RecordPosition? Decode(string continuation)
    {
        if (continuation.Length > 200 || !Base64Url.IsValid(continuation))
            return null;
        var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(continuation));
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
            return null;
        var (partition, row) = (text[..slash], text[(slash + 1)..]);
        return partition.Length <= 8 && partition.All(char.IsAsciiLetterOrDigit) && SignUpKeys.IsWellFormed(row)
            ? new RecordPosition(partition, row)
            : null;
    }

    [LoggerMessage(EventId = LogEvents.Privacy + 20, Level = LogLevel.Warning, Message = "Reseal by {Caller}: {Examined} sign-ups examined, {Resealed} sealed again under data key {KeyId} (access token: {AccessTokenResealed}); done: {Done}")]
    private static partial void LogBatch(ILogger logger, string caller, int examined, int resealed, bool accessTokenResealed, string keyId, bool done);
}
