using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using HuiminBao.Security;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HuiminBao.Tests.Security;

/// <summary>Session tokens name their key: a retired key still verifies its tokens until they expire, any other key is refused.</summary>
public sealed class SessionKeyRotationTests
{
    private static readonly string KeyA = NewKey();
    private static readonly string KeyB = NewKey();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 6, 1, 0, 0, TimeSpan.Zero));

    private SessionTokens Tokens(string current, string? retired = null) => new(Options.Create(new SecurityOptions
    {
        IdHashKey = DevelopmentKeys.IdHashKey,
        DataKey = DevelopmentKeys.DataKey,
        SessionKey = current,
        RetiredSessionKeys = retired,
    }), _time);

    [Fact]
    public void After_a_rotation_tokens_of_the_retired_key_verify_until_they_expire_and_new_ones_name_the_new_key()
    {
        var before = Tokens(KeyA).Issue("o-rotation");
        _time.Advance(TimeSpan.FromMinutes(30));

        var rotated = Tokens(KeyB, retired: $"none, {KeyA}");
        var after = rotated.Issue("o-rotation");

        Assert.Equal("o-rotation", rotated.Check("Bearer " + before.Token).OpenId);
        Assert.Equal(rotated.CurrentKeyId, Claims(after.Token).GetProperty("kid").GetString());
        Assert.Equal(Tokens(KeyA).CurrentKeyId, Claims(before.Token).GetProperty("kid").GetString());
        Assert.NotEqual(Tokens(KeyA).CurrentKeyId, rotated.CurrentKeyId);
        Assert.Matches("^[0-9a-f]{8}$", rotated.CurrentKeyId);
        _time.Advance(TimeSpan.FromMinutes(90));
        Assert.Equal("token-expired", rotated.Check("Bearer " + before.Token).ErrorCode);
        Assert.Equal("o-rotation", rotated.Check("Bearer " + after.Token).OpenId);
        // Once the retired key is dropped its tokens are refused outright.
        Assert.Equal("token-invalid", Tokens(KeyB).Check("Bearer " + Tokens(KeyA).Issue("o-rotation").Token).ErrorCode);
    }

    [Fact]
    public void A_token_of_an_unknown_key_a_borrowed_key_id_or_no_key_id_is_refused()
    {
        var tokens = Tokens(KeyB, retired: KeyA);
        var unknownKey = NewKey();
        var foreign = Tokens(unknownKey).Issue("o-forged").Token;
        // A token signed with an unknown key that claims to be signed with the current one.
        var borrowedId = Sign(unknownKey, $$"""{"sub":"o-forged","iat":{{Now()}},"exp":{{Now() + 3600}},"kid":"{{tokens.CurrentKeyId}}"}""");
        // Signed with the current key, but naming no key.
        var unnamed = Sign(KeyB, $$"""{"sub":"o-forged","iat":{{Now()}},"exp":{{Now() + 3600}}}""");

        Assert.Equal("token-invalid", tokens.Check("Bearer " + foreign).ErrorCode);
        Assert.Equal("token-invalid", tokens.Check("Bearer " + borrowedId).ErrorCode);
        Assert.Equal("token-invalid", tokens.Check("Bearer " + unnamed).ErrorCode);
        Assert.Equal("token-invalid", tokens.Check("Bearer " + Base64Url.EncodeToString("not json"u8) + "." + Base64Url.EncodeToString(new byte[32])).ErrorCode);
    }

    [Fact]
    public void A_retired_session_key_that_is_not_a_key_stops_the_app_and_none_means_no_keys()
    {
        var validation = new SecurityOptionsValidation(new Production());
        SecurityOptions With(string retired) => new() { IdHashKey = NewKey(), DataKey = NewKey(), SessionKey = NewKey(), RetiredSessionKeys = retired };

        Assert.False(validation.Validate(null, With("none")).Failed);
        Assert.False(validation.Validate(null, With($"{NewKey()},{NewKey()}")).Failed);
        var failed = validation.Validate(null, With("@Microsoft.KeyVault(SecretName=security-retired-session-keys)"));
        Assert.True(failed.Failed);
        Assert.Contains("RetiredSessionKeys", failed.FailureMessage, StringComparison.Ordinal);
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeSeconds();

    private static string Sign(string key, string claims)
    {
        var payload = Encoding.UTF8.GetBytes(claims);
        var signature = HMACSHA256.HashData(SecretKeys.Derive(Convert.FromBase64String(key), "session-token"), payload);
        return $"{Base64Url.EncodeToString(payload)}.{Base64Url.EncodeToString(signature)}";
    }

    private static JsonElement Claims(string token) => JsonDocument.Parse(Base64Url.DecodeFromChars(token.AsSpan(0, token.IndexOf('.')))).RootElement;

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private sealed class Production : Microsoft.Extensions.Hosting.IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Production";
        public string ApplicationName { get; set; } = "test";
        public string ContentRootPath { get; set; } = "/";
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = null!;
    }
}
