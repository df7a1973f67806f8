using HuiminBao.Diagnostics;
using HuiminBao.Domain;
using HuiminBao.Http;
using Microsoft.AspNetCore.Diagnostics;

namespace HuiminBao.DevHost.Http;

/// <summary>
/// What the local host answers outside any API route, still as problem+json: an unknown route or
/// verb (404/405), a request Kestrel refuses. API routes answer through the shared request policy.
/// </summary>
public static partial class ProblemResponses
{
    public static IHostApplicationBuilder AddProblemResponses(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // The request policy raises this per route (a roster file); everything else stays small.
            kestrel.Limits.MaxRequestBodySize = RequestPolicy.MaxJsonBodyBytes;
            kestrel.AddServerHeader = false;
        });
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.AddProblemDetails();
        return builder;
    }

    public static WebApplication UseProblemResponses(this WebApplication app)
    {
        app.UseExceptionHandler();
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

    private sealed partial class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            if (RequestPolicy.ForException(exception, httpContext) is not { } problem)
                return true;
            if (problem.Status >= 500)
                LogUnhandled(logger, exception, httpContext.Request.Path);
            await ProblemResults.WriteAsync(httpContext, problem);
            return true;
        }

        [LoggerMessage(EventId = LogEvents.Http + 21, Level = LogLevel.Error, Message = "Unhandled exception on {Path}")]
        private static partial void LogUnhandled(ILogger logger, Exception exception, string path);
    }
}
