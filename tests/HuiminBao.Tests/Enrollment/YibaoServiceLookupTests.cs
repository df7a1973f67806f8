using System.Diagnostics;
using HuiminBao.Domain;
using HuiminBao.Enrollment.Eligibility;
using HuiminBao.StandIns;
using HuiminBao.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;

namespace HuiminBao.Tests.Enrollment;

public sealed class YibaoServiceLookupTests : IAsyncLifetime, IDisposable
{
    private readonly YibaoStandIn _yibao = new();
    private readonly CapturedLogs _logs = new();
    private readonly RecordingCircuitObserver _observer = new();
    private LoopbackServer _server = null!;
    private IHost? _host;

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync(_yibao.Map);

    public async Task DisposeAsync()
    {
        _host?.Dispose();
        await _server.DisposeAsync();
    }

    public void Dispose() => _logs.Dispose();

    private IInsuranceLookup Lookup(Dictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Insurance:Mode"] = "http",
            ["Insurance:BaseUrl"] = _server.BaseAddress.ToString(),
            ["Insurance:ApiKey"] = YibaoStandIn.TestApiKey,
            ["Insurance:Timeout"] = "00:00:01",
            ["Insurance:RetryDelay"] = "00:00:00.010",
            ["Insurance:MaxRetries"] = "2",
        };
        foreach (var (key, value) in overrides ?? [])
            settings[key] = value;
        _host = EligibilityServiceProvider.Build(settings, _logs, services => services.AddSingleton<IInsuranceCircuitObserver>(_observer));
        return _host.Services.GetRequiredService<IInsuranceLookup>();
    }

    private static PersonToCheck Check(Person person, string? name = null) => new("unused-person-key", "unused-name-key", person.IdNumber, name ?? person.Name);

    [Fact]
    public async Task Insured_person_is_found_with_the_bureaus_words_mapped()
    {
        var employee = People.Next();
        var resident = People.Next("410581");
        _yibao.Insure(employee.IdNumber, employee.Name, "职工", "正常", "410502");
        _yibao.Insure(resident.IdNumber, resident.Name, "城乡居民基本医疗保险", "暂停", "410581");
        var lookup = Lookup();

        Assert.True(lookup.NeedsIdentity);
        Assert.Equal(InsuranceStatus.Insured(InsuranceStates.Active, InsuranceSchemes.Employee, "410502"), await lookup.LookupAsync(Check(employee), default));
        var suspended = await lookup.LookupAsync(Check(resident), default);
        Assert.Equal(InsuranceStatus.Insured(InsuranceStates.Suspended, InsuranceSchemes.Resident, "410581"), suspended);
        Assert.False(suspended.IsActive);
    }

    [Fact]
    public async Task A_name_the_service_does_not_have_for_the_id_number_is_a_mismatch_that_says_nothing_else()
    {
        var person = People.Next();
        _yibao.Insure(person.IdNumber, person.Name, "职工", "暂停", "410502");
        var lookup = Lookup();

        var mismatch = await lookup.LookupAsync(Check(person, name: "冒" + person.Name), default);
        var written = await lookup.LookupAsync(Check(person, name: $" {person.Name[0]}\u3000{person.Name[1..]} "), default);

        Assert.Equal(InsuranceStatus.NameMismatch, mismatch);
        Assert.Null(mismatch.Status);
        Assert.Equal(InsuranceStates.Suspended, written.Status);
    }

    [Fact]
    public async Task A_422_without_the_services_mismatch_code_is_a_contract_change_not_a_mismatch()
    {
        await using var other = await LoopbackServer.StartAsync(routes =>
            routes.MapPost(YibaoStandIn.QueryPath, () => Results.Json(new { code = "VALIDATION", message = "参数校验失败" }, statusCode: 422)));
        var lookup = Lookup(new() { ["Insurance:BaseUrl"] = other.BaseAddress.ToString() });

        await Assert.ThrowsAsync<YibaoServiceException>(() => lookup.LookupAsync(Check(People.Next()), default));
    }

    [Fact]
    public async Task The_services_not_found_answer_means_not_insured()
    {
        var status = await Lookup().LookupAsync(Check(People.Next()), default);

        Assert.Equal(InsuranceStatus.NotFound, status);
        Assert.Equal(1, _yibao.Queries);
    }

    [Fact]
    public async Task Server_errors_and_resets_are_retried_and_the_later_answer_counts()
    {
        var person = People.Next();
        _yibao.Insure(person.IdNumber, person.Name, "居民", "正常", "410503");
        _yibao.FailNext(YibaoFault.ServerError, YibaoFault.Reset);

        var status = await Lookup().LookupAsync(Check(person), default);

        Assert.True(status.IsActive);
        Assert.Equal(3, _yibao.Queries);
    }

    [Fact]
    public async Task A_slow_attempt_is_cut_off_by_the_per_attempt_timeout_and_retried()
    {
        var person = People.Next();
        _yibao.Insure(person.IdNumber, person.Name);
        _yibao.FailNext(YibaoFault.Slow(TimeSpan.FromSeconds(10)));
        var clock = Stopwatch.StartNew();

        var status = await Lookup().LookupAsync(Check(person), default);

        Assert.True(status.IsActive);
        Assert.Equal(2, _yibao.Queries);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Theory]
    [InlineData(YibaoFaultKind.ServerError)]
    [InlineData(YibaoFaultKind.Unavailable)]
    [InlineData(YibaoFaultKind.Reset)]
    [InlineData(YibaoFaultKind.Slow)]
    public async Task A_service_that_keeps_failing_makes_the_lookup_unavailable_after_the_retries(YibaoFaultKind kind)
    {
        _yibao.FailAlways(new YibaoFault(kind, TimeSpan.FromSeconds(10)));

        await Assert.ThrowsAsync<InsuranceLookupUnavailableException>(() => Lookup().LookupAsync(Check(People.Next()), default));

        Assert.Equal(3, _yibao.Queries);
    }

    [Fact]
    public async Task The_circuit_opens_after_repeated_failures_refuses_calls_without_reaching_the_service_and_closes_after_a_good_probe()
    {
        var person = People.Next();
        _yibao.Insure(person.IdNumber, person.Name);
        _yibao.FailAlways(YibaoFault.ServerError);
        var lookup = Lookup(new()
        {
            ["Insurance:MaxRetries"] = "0",
            ["Insurance:CircuitMinimumThroughput"] = "4",
            ["Insurance:CircuitBreakDuration"] = "00:00:00.500",
        });

        for (var i = 0; i < 4; i++)
            await Assert.ThrowsAsync<InsuranceLookupUnavailableException>(() => lookup.LookupAsync(Check(person), default));
        Assert.Equal(["opened"], _observer.Events);

        var refused = await Assert.ThrowsAsync<InsuranceLookupUnavailableException>(() => lookup.LookupAsync(Check(person), default));
        Assert.IsType<BrokenCircuitException>(refused.InnerException);
        Assert.Equal(4, _yibao.Queries);

        _yibao.Recover();
        var status = await Eventually.ReturnsAsync(
            async () =>
            {
                try
                {
                    return await lookup.LookupAsync(Check(person), default);
                }
                catch (InsuranceLookupUnavailableException)
                {
                    return null;
                }
            },
            s => s is not null,
            TimeSpan.FromSeconds(10));
        Assert.True(status!.IsActive);
        Assert.Equal(["opened", "closed"], _observer.Events);
    }

    [Fact]
    public async Task A_404_without_the_services_code_is_a_misconfiguration_not_a_person_without_insurance()
    {
        var lookup = Lookup(new() { ["Insurance:BaseUrl"] = new Uri(_server.BaseAddress, "wrong-prefix/").ToString() });

        await Assert.ThrowsAsync<YibaoServiceException>(() => lookup.LookupAsync(Check(People.Next()), default));
    }

    [Fact]
    public async Task The_id_number_and_name_travel_only_in_the_request_body_and_never_reach_the_logs()
    {
        var person = People.Next();
        _yibao.Insure(person.IdNumber, person.Name);
        _yibao.FailNext(YibaoFault.ServerError);

        await Lookup().LookupAsync(Check(person), default);

        Assert.All(_yibao.Paths, path => Assert.DoesNotContain(person.IdNumber, path, StringComparison.Ordinal));
        Assert.All(_yibao.Paths, path => Assert.DoesNotContain(Uri.EscapeDataString(person.Name), path, StringComparison.Ordinal));
        Assert.NotEmpty(_logs.Lines);
        Assert.All(_logs.Lines, line => Assert.DoesNotContain(person.IdNumber[..14], line, StringComparison.Ordinal));
        Assert.All(_logs.Lines, line => Assert.DoesNotContain(person.Name, line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_call_carries_the_api_key_and_a_call_without_it_is_refused_as_misconfiguration_not_as_not_insured()
    {
        var person = People.Next();
        _yibao.Insure(person.IdNumber, person.Name);
        _yibao.FailNext(YibaoFault.ServerError);

        Assert.True((await Lookup().LookupAsync(Check(person), default)).IsActive);
        Assert.Equal(2, _yibao.Queries);
        Assert.Equal(0, _yibao.Refused);

        _host!.Dispose();
        var unkeyed = Lookup(new() { ["Insurance:ApiKey"] = "none" });
        await Assert.ThrowsAsync<YibaoServiceException>(() => unkeyed.LookupAsync(Check(person), default));
        Assert.Equal(1, _yibao.Refused);
    }

    [Fact]
    public async Task A_bureau_naming_its_key_header_differently_is_met_with_Insurance_ApiKeyHeader()
    {
        var bureau = new YibaoStandIn("another-bureau-key", "X-Yibao-Token");
        await using var server = await LoopbackServer.StartAsync(bureau.Map);
        var person = People.Next();
        bureau.Insure(person.IdNumber, person.Name);

        var lookup = Lookup(new()
        {
            ["Insurance:BaseUrl"] = server.BaseAddress.ToString(),
            ["Insurance:ApiKey"] = "another-bureau-key",
            ["Insurance:ApiKeyHeader"] = "X-Yibao-Token",
        });

        Assert.True((await lookup.LookupAsync(Check(person), default)).IsActive);
        Assert.Equal(0, bureau.Refused);
    }

    [Fact]
    public async Task The_api_key_never_reaches_the_logs_even_where_request_headers_are_logged()
    {
        var person = People.Next();
        _yibao.Insure(person.IdNumber, person.Name);
        _yibao.FailNext(YibaoFault.ServerError);
        using var host = EligibilityServiceProvider.Build(
            new Dictionary<string, string?>
            {
                ["Insurance:Mode"] = "http",
                ["Insurance:BaseUrl"] = _server.BaseAddress.ToString(),
                ["Insurance:ApiKey"] = YibaoStandIn.TestApiKey,
                ["Insurance:RetryDelay"] = "00:00:00.010",
            },
            _logs,
            services => services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace)));

        await host.Services.GetRequiredService<IInsuranceLookup>().LookupAsync(Check(person), default);

        Assert.Contains(_logs.Lines, line => line.Contains(YibaoStandIn.DefaultApiKeyHeader, StringComparison.OrdinalIgnoreCase));
        Assert.All(_logs.Lines, line => Assert.DoesNotContain(YibaoStandIn.TestApiKey, line, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Production", "http://yibao.anyang.example/", "k3y", "https")]
    [InlineData("Production", "https://yibao.anyang.example/", null, "Insurance:ApiKey")]
    [InlineData("Production", "https://yibao.anyang.example/", "none", "Insurance:ApiKey")]
    [InlineData("Development", "http://yibao.anyang.example/", null, "loopback")]
    public async Task Outside_development_the_link_must_be_https_with_a_key_and_in_development_plain_http_only_to_loopback(string environment, string baseUrl, string? apiKey, string expected)
    {
        using var host = EligibilityServiceProvider.Build(new Dictionary<string, string?> { ["Insurance:Mode"] = "http", ["Insurance:BaseUrl"] = baseUrl, ["Insurance:ApiKey"] = apiKey }, environment: environment);

        var failure = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("k3y", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Production", "http", "https://yibao.anyang.example/", "k3y")]
    [InlineData("Development", "http", "http://127.0.0.1:9/", null)]
    [InlineData("Production", "roster", "http://ignored.example/", null)]
    public async Task An_https_link_with_a_key_a_local_stand_in_in_development_and_roster_mode_start(string environment, string mode, string baseUrl, string? apiKey)
    {
        using var host = EligibilityServiceProvider.Build(new Dictionary<string, string?> { ["Insurance:Mode"] = mode, ["Insurance:BaseUrl"] = baseUrl, ["Insurance:ApiKey"] = apiKey }, environment: environment);

        await host.StartAsync();
        await host.StopAsync();
    }

    [Fact]
    public void Roster_mode_is_the_default_and_asks_by_person_key()
    {
        using var host = EligibilityServiceProvider.Build(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" });

        var lookup = host.Services.GetRequiredService<IInsuranceLookup>();

        Assert.IsType<RosterLookup>(lookup);
        Assert.False(lookup.NeedsIdentity);
    }

    [Theory]
    [InlineData("http", null)]
    [InlineData("http", "not a url")]
    [InlineData("soap", "http://127.0.0.1:9/")]
    public async Task An_http_mode_without_a_usable_base_url_or_an_unknown_mode_stops_the_host_at_start(string mode, string? baseUrl)
    {
        using var host = EligibilityServiceProvider.Build(new Dictionary<string, string?> { ["Insurance:Mode"] = mode, ["Insurance:BaseUrl"] = baseUrl });

        await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => host.StartAsync());
    }
}
