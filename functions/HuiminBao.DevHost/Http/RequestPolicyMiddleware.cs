using HuiminBao.Http;

namespace HuiminBao.DevHost.Http;

/// <summary>Runs the shared <see cref="RequestPolicy"/> around every <see cref="ApiRoutes"/> endpoint, as the Functions app's worker middleware does.</summary>
public static class RequestPolicyMiddleware
{
    public static WebApplication UseRequestPolicy(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<ApiRoute>() is not { } route)
            {
                await next(context);
                return;
            }
            await context.RequestServices.GetRequiredService<RequestPolicy>().InvokeAsync(context, route, () => next(context));
        });
        return app;
    }
}
