using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HuiminBao.Diagnostics;
using HuiminBao.Domain;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace HuiminBao.Enrollment.Eligibility;

/// <summary>
/// Asks the bureau's 医保 service. Retries, the per-attempt timeout and the circuit breaker sit in the
/// HttpClient's resilience handler (<see cref="EligibilityServices"/>), so the breaker is shared by
/// every caller. Whatever still fails after them, and an open breaker, is
/// <see cref="InsuranceLookupUnavailableException"/>: the sign-up waits on the queue and is tried
/// again. The service is asked by ID number and name (二要素) and compares them itself: only a 404
/// carrying its own <c>NOT_FOUND</c> code means "not insured", only a 422 carrying <c>NAME_MISMATCH</c>
/// means the name is not the one on record; a bare 404 is a wrong base URL, and must not turn every
/// applicant away.
/// </summary>
public sealed partial class YibaoServiceLookup(HttpClient http, ILogger<YibaoServiceLookup> logger) : IInsuranceLookup
{
    public const string QueryPath = "api/v1/insured/query";

    public bool NeedsIdentity => true;

    public async Task<InsuranceStatus> LookupAsync(PersonToCheck person, CancellationToken cancellationToken)
    {
        if (person.IdNumber is not { } idNumber || person.Name is not { } name)
            throw new ArgumentException("The 医保 service is asked by ID number and name.", nameof(person));
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsJsonAsync(QueryPath, new YibaoQuery(idNumber, name), YibaoJson.Default.YibaoQuery, cancellationToken);
        }
        catch (Exception e) when (IsTransient(e, cancellationToken))
        {
            LogUnavailable(logger, e.GetType().Name, 0);
            throw new InsuranceLookupUnavailableException($"医保 service unavailable: {e.GetType().Name}", e);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (response.StatusCode == HttpStatusCode.OK)
                return await ReadInsuredAsync(response, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound && await ReadErrorCodeAsync(response, cancellationToken) == YibaoError.NotFoundCode)
                return InsuranceStatus.NotFound;
            if (response.StatusCode == HttpStatusCode.UnprocessableEntity && await ReadErrorCodeAsync(response, cancellationToken) == YibaoError.NameMismatchCode)
                return InsuranceStatus.NameMismatch;
            if (status >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests)
            {
                LogUnavailable(logger, "HTTP", status);
                throw new InsuranceLookupUnavailableException($"医保 service answered {status}");
            }
            // 401/403/a bare 404 or 422: configuration or a contract change, not an outage. Throwing still retries the message and
            // ends in poison (needs-review), so nobody is wrongly told they are not insured.
            LogUnexpected(logger, status);
            throw new YibaoServiceException($"医保 service answered {status}; check Insurance:BaseUrl and credentials");
        }
    }

    private static async Task<InsuranceStatus> ReadInsuredAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        YibaoInsured? insured;
        try
        {
            insured = await response.Content.ReadFromJsonAsync(YibaoJson.Default.YibaoInsured, cancellationToken);
        }
        catch (JsonException e)
        {
            throw new YibaoServiceException("医保 service answered 200 with a body that is not its JSON", e);
        }
        var scheme = InsuranceTerms.Scheme(insured?.Scheme);
        var state = InsuranceTerms.State(insured?.Status);
        if (insured is null || scheme is null || state is null || !InsuranceTerms.IsDistrictCode(insured.District))
            throw new YibaoServiceException("医保 service answered 200 with an unknown scheme, status or district");
        return InsuranceStatus.Insured(state, scheme, insured.District);
    }

    private static async Task<string?> ReadErrorCodeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return (await response.Content.ReadFromJsonAsync(YibaoJson.Default.YibaoError, cancellationToken))?.Code;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            return null;
        }
    }

    private static bool IsTransient(Exception e, CancellationToken cancellationToken) => e switch
    {
        HttpRequestException or TimeoutRejectedException or BrokenCircuitException => true,
        // HttpClient.Timeout, the overall budget, surfaces as a cancellation nobody asked for.
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    [LoggerMessage(EventId = LogEvents.Eligibility + 1, Level = LogLevel.Warning, Message = "医保 service unavailable ({Failure}, HTTP {Status}); the sign-up will be retried")]
    private static partial void LogUnavailable(ILogger logger, string failure, int status);

    [LoggerMessage(EventId = LogEvents.Eligibility + 2, Level = LogLevel.Error, Message = "医保 service answered HTTP {Status}, which is neither an answer nor an outage")]
    private static partial void LogUnexpected(ILogger logger, int status);
}

/// <summary>The 医保 service answered in a way that is neither an answer nor an outage (misconfiguration, contract change).</summary>
public sealed class YibaoServiceException(string message, Exception? inner = null) : Exception(message, inner);
