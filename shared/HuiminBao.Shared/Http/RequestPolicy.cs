using Azure;
using HuiminBao.Audit;
using HuiminBao.Diagnostics;
using HuiminBao.Domain;
using HuiminBao.Roster;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HuiminBao.Http;

/// <summary>
/// Everything a request meets around its handler, the same in both hosts: the local host runs it as
/// ASP.NET Core middleware, the Functions app as worker middleware around every HTTP trigger.
/// Before the handler: the declared body size against the route's limit, the ops key (or console
/// cookie) for ops routes, naming the caller, the audit record of every ops action, and the rate
/// limits. Around it: an exception that escapes becomes a problem+json answer (storage down is a
/// 503 with <c>Retry-After</c>, never a bare 500).
/// </summary>
public sealed partial class RequestPolicy(
    OpsKeys opsKeys,
    OpsConsoleSessions consoleSessions,
    AuditLog audit,
    RequestRateLimits limits,
    IOptions<RosterImportOptions> roster,
    ILogger<RequestPolicy> logger)
{
    /// <summary>Bytes any JSON route accepts; its handler enforces a tighter limit of its own.</summary>
    public const long MaxJsonBodyBytes = 64 * 1024;

    /// <summary>A client still uploading when a 413 goes out often sees only a reset; a body up to this size is read first so it sees the answer.</summary>
    private const long DrainLimitBytes = 1024 * 1024;

    private static readonly TimeSpan StorageRetryAfter = TimeSpan.FromSeconds(5);

    public long MaxBodyBytes(ApiRoute route) => route.Body == RouteBody.RosterFile ? roster.Value.MaxRequestBytes : MaxJsonBodyBytes;

    public async Task InvokeAsync(HttpContext context, ApiRoute route, Func<Task> handler)
    {
        try
        {
            if (await AdmitAsync(context, route) is { } refused)
            {
                await RefuseAsync(context, refused);
                return;
            }
            await handler();
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            if (ForException(e, context) is not { } problem)
                return;
            if (problem.Status >= 500 && problem.Code == ErrorCodes.InternalError)
                LogUnhandled(logger, e, route.Name);
            else if (problem.Code == ErrorCodes.StorageUnavailable)
                LogStorageUnavailable(logger, route.Name, e.GetType().Name);
            await ProblemResults.WriteAsync(context, problem);
        }
    }

    /// <summary>Null to go on to the handler, or the problem to answer instead.</summary>
    public async ValueTask<ApiProblem?> AdmitAsync(HttpContext context, ApiRoute route)
    {
        var limit = MaxBodyBytes(route);
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
            bodyLimit.MaxRequestBodySize = limit;
        if (context.Request.ContentLength > limit)
            return route.Body == RouteBody.RosterFile ? RosterProblems.TooLargeForRequest(limit) : ApiProblem.TooLarge();

        if (route.Access != RouteAccess.MiniProgram)
        {
            var caller = route.Access == RouteAccess.OpsKey ? opsKeys.Identify(context.Request) : consoleSessions.Identify(context.Request);
            if (caller is null)
            {
                LogOpsRefused(logger, route.Name);
                return ApiProblem.Unauthorized(route.Access == RouteAccess.OpsKey ? ErrorCodes.OpsKeyRequired : ErrorCodes.OpsSessionRequired);
            }
            context.SetOpsCaller(caller);
            await RecordAsync(context, route, caller);
        }

        return await limits.CheckAsync(context, route);
    }

    /// <summary>
    /// What this policy may answer for <paramref name="route"/> instead of its handler, for the API
    /// description (<see cref="ApiContract.AllProblems"/>): the body limit, the missing ops key or
    /// console cookie, the rate limits, and storage failing. Ops routes write an audit record and
    /// the shared limits count in a table, so those reach storage even when the handler doesn't.
    /// </summary>
    public static IEnumerable<ApiProblem> Refusals(ApiRoute route, bool handlerUsesStorage)
    {
        if (route.Body == RouteBody.Json)
            yield return ApiProblem.TooLarge();
        if (route.Body == RouteBody.RosterFile)
            yield return RosterProblems.TooLargeForRequest(new RosterImportOptions().MaxRequestBytes);
        if (route.Access != RouteAccess.MiniProgram)
            yield return ApiProblem.Unauthorized(route.Access == RouteAccess.OpsKey ? ErrorCodes.OpsKeyRequired : ErrorCodes.OpsSessionRequired);
        if (route.Limits != RouteLimits.None)
            yield return ApiProblem.TooManyRequests(ErrorCodes.RateLimited, StorageRetryAfter);
        if (handlerUsesStorage || route.Access != RouteAccess.MiniProgram || route.Limits is RouteLimits.Sessions or RouteLimits.PerClientAndOpenIdShared)
            yield return ApiProblem.Unavailable(ErrorCodes.StorageUnavailable, StorageRetryAfter);
    }

    /// <summary>Written before the handler runs; its answer is added once the response is done.</summary>
    private async Task RecordAsync(HttpContext context, ApiRoute route, OpsCaller caller)
    {
        var target = string.Join('&', route.ValuesOf(context.Request.Path.Value ?? "").Select(v => $"{v.Key}={Printable(v.Value)}"));
        var row = await audit.BeginAsync(new AuditedAction(caller.Name, route.Name, route.Method, target), context.RequestAborted);
        context.Response.OnCompleted(() => audit.CompleteAsync(row, context.Response.StatusCode));
    }

    /// <summary>Ids are short and plain; anything else a path carried is cut down so it can't fill the log with text.</summary>
    private static string Printable(string value) =>
        value.Length <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') ? value : "(unreadable)";

    /// <summary>What an exception escaping a handler answers; null when nobody is listening any more.</summary>
    public static ApiProblem? ForException(Exception exception, HttpContext context) => exception switch
    {
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => ApiProblem.TooLarge(),
        BadHttpRequestException bad => ApiProblem.Of(bad.StatusCode, ErrorCodes.MalformedJson),
        RequestFailedException or TimeoutException => ApiProblem.Unavailable(ErrorCodes.StorageUnavailable, StorageRetryAfter),
        OperationCanceledException when context.RequestAborted.IsCancellationRequested => null,
        _ => ApiProblem.Of(StatusCodes.Status500InternalServerError, ErrorCodes.InternalError),
    };

    public static async Task RefuseAsync(HttpContext context, ApiProblem problem)
    {
        if (problem.Status == StatusCodes.Status413PayloadTooLarge)
            await DrainAsync(context);
        await ProblemResults.WriteAsync(context, problem);
    }

    private static async Task DrainAsync(HttpContext context)
    {
        if (context.Request.ContentLength is not { } length || length > DrainLimitBytes
            || context.Features.Get<IHttpMaxRequestBodySizeFeature>() is not { IsReadOnly: false } limit)
            return;
        limit.MaxRequestBodySize = DrainLimitBytes;
        var buffer = new byte[16 * 1024];
        try
        {
            while (await context.Request.Body.ReadAsync(buffer, context.RequestAborted) > 0)
            {
            }
        }
        catch (BadHttpRequestException)
        {
            // It lied about its length; answer anyway.
        }
    }

    [LoggerMessage(EventId = LogEvents.Http + 1, Level = LogLevel.Error, Message = "Unhandled exception in {Route}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string route);

    [LoggerMessage(EventId = LogEvents.Http + 2, Level = LogLevel.Warning, Message = "{Route} answered 503: storage unavailable ({Error})")]
    private static partial void LogStorageUnavailable(ILogger logger, string route, string error);

    [LoggerMessage(EventId = LogEvents.Http + 3, Level = LogLevel.Warning, Message = "{Route} refused: no known ops key or console session")]
    private static partial void LogOpsRefused(ILogger logger, string route);
}
