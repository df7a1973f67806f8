using System.Net.Http.Json;
using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using HuiminBao.Diagnostics;
using HuiminBao.Security;
using HuiminBao.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;

namespace HuiminBao.WeChat;

/// <summary>
/// The access token for WeChat's server API, from <c>POST /cgi-bin/stable_token</c>. One per process
/// (singleton): held in memory, shared through <c>opsstate</c> so every instance uses the same token,
/// renewed before it expires, and force-refreshed only when WeChat refuses it (40001/42001), at most
/// once per <see cref="ForceRefreshInterval"/> across all instances, because WeChat rations force refreshes.
/// </summary>
public sealed partial class WeChatAccessTokens(
    IHttpClientFactory httpClients,
    StorageAccount storage,
    PersonalDataCipher cipher,
    IOptions<WeChatOptions> options,
    TimeProvider time,
    ILogger<WeChatAccessTokens> logger) : IDisposable
{
    public const string HttpClientName = "wechat-stable-token";

    /// <summary>WeChat's normal mode hands out a new token in the old one's last five minutes; ask then.</summary>
    public static readonly TimeSpan RenewBeforeExpiry = TimeSpan.FromMinutes(5);

    /// <summary>WeChat refuses force refreshes closer together than this (and allows few per day).</summary>
    public static readonly TimeSpan ForceRefreshInterval = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ResiliencePipeline _pipeline = WeChatRetries.Pipeline(options.Value.Timeout, maxRetries: 2);

    private volatile CachedToken? _cached;

    /// <summary>A token with time left: from memory, else from storage, else (and then stored) from WeChat.</summary>
    public async ValueTask<string> GetAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } cached && time.GetUtcNow() < cached.RenewAt)
            return cached.Value;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_cached is { } again && time.GetUtcNow() < again.RenewAt)
                return again.Value;
            var (row, stored) = await ReadAsync(cancellationToken);
            if (stored is not null && time.GetUtcNow() < stored.RenewAt)
            {
                _cached = stored;
                return stored.Value;
            }
            return await FetchAndStoreAsync(row, force: false, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// WeChat refused <paramref name="rejected"/> with <paramref name="errorCode"/>. Returns a different
    /// token: one another caller or instance already got, a renewed one (42001, expired), or a forced one.
    /// Throws <see cref="WeChatTokenUnavailableException"/> when forcing is not allowed yet.
    /// </summary>
    public async Task<string> RefreshAsync(string rejected, int errorCode, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_cached is { } cached && cached.Value != rejected && time.GetUtcNow() < cached.ExpiresAt)
                return cached.Value;
            var (row, stored) = await ReadAsync(cancellationToken);
            if (stored is not null && stored.Value != rejected && time.GetUtcNow() < stored.ExpiresAt)
            {
                _cached = stored;
                return stored.Value;
            }

            if (errorCode == WeChatErrors.AccessTokenExpired)
            {
                // Normal mode replaces an expired token; only if WeChat still hands back the refused one is forcing needed.
                var renewed = await FetchAndStoreAsync(row, force: false, cancellationToken);
                if (renewed != rejected)
                    return renewed;
                (row, _) = await ReadAsync(cancellationToken);
            }
            return await ForceAsync(row, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<string> ForceAsync(AccessTokenRow? row, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (row?.LastForcedAt is { } last && now - last < ForceRefreshInterval)
        {
            LogForceTooSoon(logger, (now - last).TotalSeconds);
            throw new WeChatTokenUnavailableException($"WeChat refused the access token, and the last force refresh was {(now - last).TotalSeconds:0}s ago.");
        }

        // Claim the force first, ETag-guarded, so two instances refused at once don't both spend one.
        var claim = row ?? new AccessTokenRow { RowKey = options.Value.AppId };
        claim.LastForcedAt = now;
        var table = storage.Table(TableNames.OpsState);
        try
        {
            var response = row is null
                ? await table.AddEntityAsync(claim, cancellationToken)
                : await table.UpdateEntityAsync(claim, row.ETag, TableUpdateMode.Replace, cancellationToken);
            claim.ETag = response.Headers.ETag ?? ETag.All;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            LogForceRace(logger);
            throw new WeChatTokenUnavailableException("Another instance is force-refreshing the WeChat access token.");
        }
        return await FetchAndStoreAsync(claim, force: true, cancellationToken);
    }

    private async Task<string> FetchAndStoreAsync(AccessTokenRow? row, bool force, CancellationToken cancellationToken)
    {
        var (value, lifetime) = await FetchAsync(force, cancellationToken);
        var now = time.GetUtcNow();
        var token = CachedToken.Create(value, now, lifetime);
        var entity = new AccessTokenRow
        {
            RowKey = options.Value.AppId,
            SealedToken = cipher.Seal(value, SealContext),
            ExpiresAt = token.ExpiresAt,
            FetchedAt = now,
            LastForcedAt = row?.LastForcedAt,
        };
        var table = storage.Table(TableNames.OpsState);
        try
        {
            if (row is null)
                await table.AddEntityAsync(entity, cancellationToken);
            else
                await table.UpdateEntityAsync(entity, row.ETag, TableUpdateMode.Replace, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Another instance stored a token meanwhile. After a normal fetch theirs is as good as ours;
            // after a force, ours is the only valid one (forcing invalidated the rest), so it must win.
            if (force)
                await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
        }
        _cached = token;
        LogFetched(logger, force, lifetime.TotalSeconds);
        return value;
    }

    private async Task<(string Token, TimeSpan Lifetime)> FetchAsync(bool force, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var http = httpClients.CreateClient(HttpClientName);
        var request = new StableTokenRequest("client_credential", settings.AppId, settings.AppSecret, force);
        return await _pipeline.ExecuteAsync(async token =>
        {
            using var response = await http.PostAsJsonAsync($"{settings.BaseUrl.TrimEnd('/')}/cgi-bin/stable_token", request, WeChatApiJson.Wire.StableTokenRequest, token);
            response.EnsureSuccessStatusCode();
            var answer = await response.Content.ReadFromJsonAsync(WeChatApiJson.Wire.StableTokenAnswer, token)
                ?? throw new WeChatException(WeChatErrors.SystemBusy, "empty answer");
            if (answer.ErrCode != 0 || string.IsNullOrEmpty(answer.AccessToken) || answer.ExpiresIn <= 0)
                throw new WeChatException(answer.ErrCode == 0 ? WeChatErrors.SystemBusy : answer.ErrCode, answer.ErrMsg);
            return (answer.AccessToken, TimeSpan.FromSeconds(answer.ExpiresIn));
        }, cancellationToken);
    }

    private async Task<(AccessTokenRow? Row, CachedToken? Token)> ReadAsync(CancellationToken cancellationToken)
    {
        var found = await storage.Table(TableNames.OpsState).GetEntityIfExistsAsync<AccessTokenRow>(AccessTokenRow.Partition, options.Value.AppId, cancellationToken: cancellationToken);
        if (!found.HasValue)
            return (null, null);
        var row = found.Value!;
        if (row.SealedToken.Length == 0)
            return (row, null);
        try
        {
            return (row, CachedToken.Create(cipher.Open(row.SealedToken, SealContext), row.FetchedAt, row.ExpiresAt - row.FetchedAt));
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            // Sealed under a data key that has since been retired: fetch a new token as if none were stored.
            LogUnreadable(logger);
            return (row, null);
        }
    }

    /// <summary>
    /// Seals the stored token again under the current data key, after a key rotation. True when it
    /// wrote; a row already under the current key, with no token, or with a token no configured key
    /// opens (the next <see cref="GetAsync"/> fetches a new one then) is left as it is. The write is
    /// conditional on the row as read: a token stored meanwhile is read again.
    /// </summary>
    public async Task<bool> ResealAsync(CancellationToken cancellationToken)
    {
        const int contendedTries = 3;
        var table = storage.Table(TableNames.OpsState);
        for (var i = 0; i < contendedTries; i++)
        {
            var found = await table.GetEntityIfExistsAsync<AccessTokenRow>(AccessTokenRow.Partition, options.Value.AppId, cancellationToken: cancellationToken);
            if (!found.HasValue || found.Value!.SealedToken.Length == 0 || cipher.IsCurrent(found.Value.SealedToken))
                return false;
            var row = found.Value;
            string resealed;
            try
            {
                resealed = cipher.Reseal(row.SealedToken, SealContext);
            }
            catch (Exception e) when (e is CryptographicException or FormatException)
            {
                LogUnreadable(logger);
                return false;
            }
            var update = new TableEntity(row.PartitionKey, row.RowKey) { [nameof(AccessTokenRow.SealedToken)] = resealed };
            try
            {
                await table.UpdateEntityAsync(update, row.ETag, TableUpdateMode.Merge, cancellationToken);
                return true;
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                // A token was stored or claimed meanwhile: look again.
            }
        }
        return false;
    }

    public void Dispose() => _gate.Dispose();

    private string SealContext => $"{AccessTokenRow.Partition}/{options.Value.AppId}";

    private sealed record CachedToken(string Value, DateTimeOffset ExpiresAt, DateTimeOffset RenewAt)
    {
        /// <summary>
        /// Renew <see cref="RenewBeforeExpiry"/> ahead, but never sooner than halfway through the token's life:
        /// a token handed out with only minutes left is still used a while rather than re-asked for on every call.
        /// </summary>
        public static CachedToken Create(string value, DateTimeOffset fetchedAt, TimeSpan lifetime)
        {
            var margin = lifetime / 2 < RenewBeforeExpiry ? lifetime / 2 : RenewBeforeExpiry;
            return new CachedToken(value, fetchedAt + lifetime, fetchedAt + lifetime - margin);
        }
    }

    [LoggerMessage(EventId = LogEvents.WeChat + 1, Level = LogLevel.Information, Message = "Fetched a WeChat access token (force {Force}), valid for {LifetimeSeconds}s")]
    private static partial void LogFetched(ILogger logger, bool force, double lifetimeSeconds);

    [LoggerMessage(EventId = LogEvents.WeChat + 2, Level = LogLevel.Warning, Message = "WeChat refused the access token, but the last force refresh was {SecondsAgo}s ago; not forcing again yet")]
    private static partial void LogForceTooSoon(ILogger logger, double secondsAgo);

    [LoggerMessage(EventId = LogEvents.WeChat + 3, Level = LogLevel.Information, Message = "Another instance claimed the force refresh of the WeChat access token first")]
    private static partial void LogForceRace(ILogger logger);

    [LoggerMessage(EventId = LogEvents.WeChat + 4, Level = LogLevel.Warning, Message = "The stored WeChat access token could not be opened (data key retired?); fetching a new one")]
    private static partial void LogUnreadable(ILogger logger);
}
