using System.Security.Cryptography;
using HuiminBao.DevHost.Azurite;
using HuiminBao.Security;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HuiminBao.Tests.Security;

public sealed class SecurityTests
{
    private static IOptions<SecurityOptions> Keys(string? dataKey = null, string? retired = null) => Options.Create(new SecurityOptions
    {
        IdHashKey = DevelopmentKeys.IdHashKey,
        DataKey = dataKey ?? DevelopmentKeys.DataKey,
        SessionKey = DevelopmentKeys.SessionKey,
        RetiredDataKeys = retired,
    });

    [Fact]
    public void Sealed_data_opens_only_with_its_context_and_untampered()
    {
        var cipher = new PersonalDataCipher(Keys());
        var sealedValue = cipher.Seal("张三 11010519491231002X", "signup-1");

        Assert.DoesNotContain("张三", sealedValue, StringComparison.Ordinal);
        Assert.Equal("张三 11010519491231002X", cipher.Open(sealedValue, "signup-1"));
        Assert.ThrowsAny<CryptographicException>(() => cipher.Open(sealedValue, "signup-2"));
        var bytes = Convert.FromBase64String(sealedValue.Split('.')[2]);
        bytes[^1] ^= 1;
        Assert.ThrowsAny<CryptographicException>(() => cipher.Open($"v1.{sealedValue.Split('.')[1]}.{Convert.ToBase64String(bytes)}", "signup-1"));
    }

    [Fact]
    public void After_a_key_rotation_old_records_still_open_with_the_retired_key()
    {
        var newKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var old = new PersonalDataCipher(Keys()).Seal("李四", "signup-9");

        var rotated = new PersonalDataCipher(Keys(newKey, retired: DevelopmentKeys.DataKey));

        Assert.Equal("李四", rotated.Open(old, "signup-9"));
        Assert.NotEqual(old.Split('.')[1], rotated.Seal("李四", "signup-9").Split('.')[1]);
        Assert.ThrowsAny<CryptographicException>(() => new PersonalDataCipher(Keys(newKey)).Open(old, "signup-9"));
    }

    [Fact]
    public void Keyed_hashes_are_stable_per_purpose_and_differ_between_purposes()
    {
        var hashes = new KeyedHashes(Keys());
        Assert.Equal(hashes.PersonKey("11010519491231002X"), new KeyedHashes(Keys()).PersonKey("11010519491231002X"));
        Assert.NotEqual(hashes.PersonKey("x"), hashes.OwnerKey("x"));
        Assert.Matches("^[0-9a-f]{64}$", hashes.PersonKey("11010519491231002X"));
        Assert.Matches("^[a-z2-7]{24}$", hashes.SignUpId("key|o|1"));
    }

    [Fact]
    public void Tokens_expire_after_two_hours()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 6, 1, 0, 0, TimeSpan.Zero));
        var tokens = new SessionTokens(Keys(), time);
        var issued = tokens.Issue("o-1");

        Assert.Equal("o-1", tokens.Check("Bearer " + issued.Token).OpenId);
        time.Advance(TimeSpan.FromHours(2));
        Assert.Equal("token-expired", tokens.Check("Bearer " + issued.Token).ErrorCode);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public void Published_development_keys_are_refused_outside_development(string environment)
    {
        var validation = new SecurityOptionsValidation(new Environment(environment));
        Assert.True(validation.Validate(null, Keys().Value).Failed);
        Assert.False(new SecurityOptionsValidation(new Environment("Development")).Validate(null, Keys().Value).Failed);
    }

    [Theory]
    [InlineData(" {0}\n")]
    [InlineData("{0}\t")]
    [InlineData("zeros")]
    [InlineData("split")]
    public void A_development_key_written_differently_is_still_refused_outside_development(string form)
    {
        var published = Convert.FromBase64String(DevelopmentKeys.IdHashKey);
        // HMAC zero-pads a short key to its block, so the key with zeros appended hashes exactly alike.
        var written = form switch
        {
            "zeros" => Convert.ToBase64String([.. published, 0, 0, 0]),
            "split" => DevelopmentKeys.IdHashKey.Insert(8, " ").Insert(20, "\n"),
            _ => string.Format(System.Globalization.CultureInfo.InvariantCulture, form, DevelopmentKeys.IdHashKey),
        };
        var options = Keys().Value;
        options.IdHashKey = written;
        options.DataKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        options.SessionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

        Assert.Equal(new KeyedHashes(Keys()).PersonKey("11010519491231002X"), new KeyedHashes(Options.Create(options)).PersonKey("11010519491231002X"));
        Assert.True(new SecurityOptionsValidation(new Environment("Production")).Validate(null, options).Failed);
    }

    /// <summary>The app knows the published keys only by digest; these are the keys the repository's local settings hand out.</summary>
    [Fact]
    public void Every_key_the_repository_hands_out_for_local_runs_is_recognised_as_a_development_key()
    {
        var root = RepositoryRoot.Find();
        using var development = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "functions", "HuiminBao.DevHost", "appsettings.Development.json")));
        using var sample = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "local.settings.sample.json")));
        string[] keys = ["IdHashKey", "DataKey", "SessionKey"];
        var handedOut = keys.Select(k => development.RootElement.GetProperty("Security").GetProperty(k).GetString()!)
            .Concat(keys.Select(k => sample.RootElement.GetProperty("Values").GetProperty("Security:" + k).GetString()!))
            .ToList();

        Assert.Equal([DevelopmentKeys.IdHashKey, DevelopmentKeys.DataKey, DevelopmentKeys.SessionKey], handedOut.Take(3));
        Assert.All(handedOut, key => Assert.True(DevelopmentKeyCheck.IsDevelopmentKey(key), key));
        Assert.False(DevelopmentKeyCheck.IsDevelopmentKey(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
    }

    [Fact]
    public void Real_keys_pass_outside_development()
    {
        var options = new SecurityOptions
        {
            IdHashKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            DataKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            SessionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)),
        };

        Assert.False(new SecurityOptionsValidation(new Environment("Production")).Validate(null, options).Failed);
    }

    [Fact]
    public void A_data_key_that_is_not_32_bytes_is_refused()
    {
        var options = Keys(Convert.ToBase64String(new byte[16])).Value;
        Assert.True(new SecurityOptionsValidation(new Environment("Development")).Validate(null, options).Failed);
    }

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "test";
        public string ContentRootPath { get; set; } = "/";
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = null!;
    }
}
