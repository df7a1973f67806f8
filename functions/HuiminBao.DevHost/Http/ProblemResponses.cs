using Azure;
using HuiminBao.Diagnostics;
using HuiminBao.Domain;
using HuiminBao.Http;
using Microsoft.AspNetCore.Diagnostics;

namespace HuiminBao.DevHost.Http;

/// <summary>
/// Whatever goes wrong outside a handler still answers problem+json: an oversized body (413), a
/// request Kestrel refuses (400), storage down (503), and only a genuine bug 500.
/// </summary>
public static partial class ProblemResponses
{
    /// <summary>Bytes Kestrel accepts in any request body; handlers enforce tighter limits of their own.</summary>
    public const long MaxRequestBodyBytes = 64 * 1024;

    public static IHostApplicationBuilder AddProblemResponses(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            kestrel.AddServerHeader = false;
        });
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.AddProblemDetails();
        return builder;
    }

    public static WebApplication UseProblemResponses(this WebApplication app)
    {
        app.UseExceptionHandler();
        // Refuse by the declared length before any handler starts reading.
        app.Use(async (context, next) =>
        {
            var limit = context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? MaxRequestBodyBytes;
            if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
                bodyLimit.MaxRequestBodySize = limit;
            if (context.Request.ContentLength is { } length && length > limit)
            {
                await DrainAsync(context, length);
                await ProblemResults.WriteAsync(context, ApiProblem.TooLarge());
                return;
            }
            await next(context);
        });
        app.UseStatusCodePages(async statusContext =>
        {
            var context = statusContext.HttpContext;
            if (context.Response.HasStarted || context.Response.ContentLength > 0)
                return;
            var problem = context.Response.StatusCode switch
            {
                404 => ApiProblem.NotFound(),
                405 => ApiProblem.Of(405, ErrorCodes.NotFound),
                413 => ApiProblem.TooLarge(),
                415 => ApiProblem.UnsupportedMediaType(),
                _ => ApiProblem.Of(context.Response.StatusCode, context.Response.StatusCode >= 500 ? ErrorCodes.InternalError : ErrorCodes.ValidationFailed),
            };
            await ProblemResults.WriteAsync(context, problem);
        });
        return app;
    }

    /// <summary>
    /// A client that is still uploading when the 413 goes out and the connection closes often never
    /// sees the 413 at all, only a reset. Reading a moderately oversized body first lets it see the
    /// answer; a body past <see cref="DrainLimitBytes"/> isn't worth reading, and that client gets the reset.
    /// </summary>
    private static async Task DrainAsync(HttpContext context, long length)
    {
        if (length > DrainLimitBytes || context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is not { IsReadOnly: false } limit)
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
            // Lied about its length; answer anyway.
        }
    }

    private const long DrainLimitBytes = 1024 * 1024;

    private sealed partial class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            var problem = exception switch
            {
                BadHttpRequestException { StatusCode: 413 } => ApiProblem.TooLarge(),
                BadHttpRequestException bad => ApiProblem.Of(bad.StatusCode, ErrorCodes.MalformedJson),
                RequestFailedException or TimeoutException => ApiProblem.Unavailable(ErrorCodes.StorageUnavailable, TimeSpan.FromSeconds(5)),
                OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested => null,
                _ => ApiProblem.Of(500, ErrorCodes.InternalError),
            };
            if (problem is null)
                return true;
            if (problem.Status >= 500)
                LogUnhandled(logger, exception, httpContext.Request.Path);
            await ProblemResults.WriteAsync(httpContext, problem);
            return true;
        }

        [LoggerMessage(EventId = LogEvents.Http + 1, Level = LogLevel.Error, Message = "Unhandled exception on {Path}")]
        private static partial void LogUnhandled(ILogger logger, Exception exception, string path);
    }
}
