using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using HuiminBao.Diagnostics;
using HuiminBao.Security;
using HuiminBao.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HuiminBao.Http;

/// <summary>
/// Per-minute request counts shared by every instance (table <c>ratelimits</c>), so a client that
/// spreads its requests over many instances still meets one limit.
/// <para>
/// A key costs no storage call until this instance has seen it more than
/// <see cref="RateLimitOptions.SharedAfter"/> times in the minute: ordinary users never get there.
/// From then on the instance adds its own count to the shared one at most every
/// <see cref="RateLimitOptions.SharedSyncInterval"/> (ETag-conditional read-modify-write) and, in
/// between, judges by the last shared count plus what it admitted since. A limit of L can so admit
/// at most L + N × SharedAfter in a minute over N instances, plus what arrives within one sync
/// interval. If the table can't be reached the request is judged on what is known: limits must
/// not turn a storage hiccup into refusals.
/// </para>
/// </summary>
public sealed partial class SharedRateCounters(StorageAccount storage, KeyedHashes hashes, IOptions<RateLimitOptions> options, TimeProvider time, ILogger<SharedRateCounters> logger)
{
    private const int MaxConflictRetries = 5;
    private const int SweepAbove = 10_000;

    private readonly ConcurrentDictionary<string, KeyState> _keys = new(StringComparer.Ordinal);

    /// <summary>Counts one request of <paramref name="key"/>; false when the key is over <paramref name="perMinute"/> this minute.</summary>
    public async ValueTask<bool> TryCountAsync(string key, int perMinute, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var minute = now.ToUnixTimeSeconds() / 60;
        var state = _keys.GetOrAdd(key, static _ => new KeyState());
        long estimate;
        bool sync;
        lock (state)
        {
            if (state.Minute != minute)
                state.Reset(minute);
            state.Local++;
            state.Unflushed++;
            estimate = state.Shared + state.Unflushed;
            var busy = state.Local > options.Value.SharedAfter || state.Shared > 0;
            sync = busy && !state.Syncing && now - state.SyncedAt >= options.Value.SharedSyncInterval;
            if (sync)
                state.Syncing = true;
        }
        if (_keys.Count > SweepAbove)
            Sweep(minute);
        if (!sync)
            return estimate <= perMinute;

        try
        {
            var shared = await AddAsync(key, minute, state, cancellationToken);
            return shared <= perMinute;
        }
        catch (RequestFailedException e)
        {
            LogSyncFailed(logger, e.Status, e.ErrorCode);
            return estimate <= perMinute;
        }
        finally
        {
            lock (state)
                state.Syncing = false;
        }
    }

    /// <summary>Adds what this instance admitted since its last sync to the shared count, and returns the total.</summary>
    private async Task<long> AddAsync(string key, long minute, KeyState state, CancellationToken cancellationToken)
    {
        var table = storage.Table(TableNames.RateLimits);
        var hashed = hashes.RateKey(key);
        long delta;
        lock (state)
            delta = state.Unflushed;
        for (var attempt = 0; ; attempt++)
        {
            var found = await table.GetEntityIfExistsAsync<TableEntity>(hashed[..2], hashed, cancellationToken: cancellationToken);
            var current = found.HasValue && found.Value!.GetInt64("Minute") == minute ? found.Value.GetInt64("Count") ?? 0 : 0;
            var entity = new TableEntity(hashed[..2], hashed) { ["Minute"] = minute, ["Count"] = current + delta };
            try
            {
                if (found.HasValue)
                    await table.UpdateEntityAsync(entity, found.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                else
                    await table.AddEntityAsync(entity, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < MaxConflictRetries)
            {
                continue;
            }
            lock (state)
            {
                if (state.Minute == minute)
                {
                    state.Unflushed -= delta;
                    state.Shared = current + delta;
                    state.SyncedAt = time.GetUtcNow();
                }
                return state.Shared + state.Unflushed;
            }
        }
    }

    private void Sweep(long minute)
    {
        foreach (var (key, state) in _keys)
        {
            if (state.Minute < minute)
                _keys.TryRemove(key, out _);
        }
    }

    private sealed class KeyState
    {
        public long Minute { get; private set; } = -1;

        /// <summary>Requests this instance admitted this minute.</summary>
        public long Local { get; set; }

        /// <summary>Of those, not yet added to the shared count.</summary>
        public long Unflushed { get; set; }

        /// <summary>The shared count as last read, this instance's earlier requests included.</summary>
        public long Shared { get; set; }

        public DateTimeOffset SyncedAt { get; set; } = DateTimeOffset.MinValue;

        public bool Syncing { get; set; }

        public void Reset(long minute)
        {
            Minute = minute;
            Local = Unflushed = Shared = 0;
            SyncedAt = DateTimeOffset.MinValue;
        }
    }

    [LoggerMessage(EventId = LogEvents.Http + 11, Level = LogLevel.Warning, Message = "Shared rate count not updated ({Status} {ErrorCode}); judging by this instance's count")]
    private static partial void LogSyncFailed(ILogger logger, int status, string? errorCode);
}
