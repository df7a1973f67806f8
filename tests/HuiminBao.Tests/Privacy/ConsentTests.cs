using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using HuiminBao.SignUps;
using HuiminBao.Storage;
using HuiminBao.Tests.Functions;
using HuiminBao.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HuiminBao.Tests.Privacy;

/// <summary>The <c>consent</c> every sign-up carries: required, one of the configured notice versions, recorded with the server's time.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConsentTests(AzuriteFixture azurite)
{
    private const int PlanYear = PipelineHost.PlanYear;

    /// <summary>A sign-up named by its Idempotency-Key and one named by its body take different paths to the store; both carry the consent.</summary>
    [Theory]
    [InlineData(null)]
    [InlineData("consent-with-key-1")]
    public async Task The_accepted_version_is_stored_with_the_server_time_and_the_children_consented_for_as_guardian(string? idempotencyKey)
    {
        var now = new DateTimeOffset(2026, 3, 6, 10, 30, 0, TimeSpan.FromHours(8));
        await using var host = await PipelineHost.StartAsync(azurite, PipelineHost.WithoutListeners, s => s.AddSingleton<TimeProvider>(new FakeTimeProvider(now)), insurance: new InMemoryInsurance());
        var applicant = People.Next(birthYear: 1985);
        var young = People.IdNumber("410502", new DateOnly(2012, 3, 7), 11);   // 13, turning 14 tomorrow
        var teen = People.IdNumber("410502", new DateOnly(2012, 3, 6), 12);    // 14 today
        var body = JsonNode.Parse(People.SignUpJson(PlanYear, applicant, (applicant, "self")))!;
        body["insured"]!.AsArray().Add(new JsonObject { ["name"] = "李小明", ["idNumber"] = young, ["relation"] = "child" });
        body["insured"]!.AsArray().Add(new JsonObject { ["name"] = "李小红", ["idNumber"] = teen, ["relation"] = "child" });
        // A time the client claims is no part of the contract: the server's clock is what counts.
        body["consentedAt"] = "2020-01-01T00:00:00Z";
        var token = await host.LoginAsync("o-consent");

        var signUpId = await host.SubmitAcceptedAsync(token, body.ToJsonString(), idempotencyKey);

        var record = (await host.Storage.Table(TableNames.SignUps).GetEntityAsync<SignUpRecord>(SignUpKeys.Partition(signUpId), SignUpKeys.RecordRow(signUpId))).Value;
        Assert.Equal(People.Consent, record.ConsentVersion);
        Assert.Equal(now, record.ConsentedAt);
        Assert.Equal(record.AcceptedAt, record.ConsentedAt);
        Assert.Equal(1, record.ConsentGuardianFor);
    }

    public static TheoryData<string, string, JsonNode?> BadConsents() => new()
    {
        { "missing", "consent-required", null },
        { "null", "consent-required", JsonValue.Create((string?)null) },
        { "empty", "consent-required", JsonValue.Create("  ") },
        { "a withdrawn notice", "consent-version-unknown", JsonValue.Create("2025-01") },
        { "a version never published", "consent-version-unknown", JsonValue.Create("2026-99") },
        { "a boolean", "wrong-type", JsonValue.Create(true) },
    };

    [Theory]
    [MemberData(nameof(BadConsents))]
    public async Task A_missing_or_unknown_consent_is_400_on_the_consent_field_with_a_zh_CN_message_and_stores_nothing(string because, string code, JsonNode? consent)
    {
        await using var host = await PipelineHost.StartAsync(azurite, PipelineHost.WithoutListeners, insurance: new InMemoryInsurance());
        var person = People.Next();
        var body = JsonNode.Parse(People.SelfSignUp(PlanYear, person))!.AsObject();
        body.Remove("consent");
        if (because != "missing")
            body["consent"] = consent;
        var token = await host.LoginAsync("o-no-consent");

        using var response = await host.SubmitAsync(token, body.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("validation-failed", problem.GetProperty("code").GetString());
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal("consent", error.GetProperty("field").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", error.GetProperty("message").GetString()!);
        await foreach (var _ in host.Storage.Table(TableNames.SignUps).QueryAsync<Azure.Data.Tables.TableEntity>())
            Assert.Fail($"{because}: a sign-up was stored");
    }

    [Theory]
    [InlineData("")]
    [InlineData(" , ")]
    [InlineData("2026-01,版本二")]
    public async Task The_functions_app_refuses_to_start_without_a_usable_consent_version(string versions)
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            FunctionsAppHost.StartAsync(azurite, new Dictionary<string, string?> { ["Privacy:ConsentVersions"] = versions }, provision: false));

        Assert.Contains("Privacy:ConsentVersions", failure.Message, StringComparison.Ordinal);
    }
}
