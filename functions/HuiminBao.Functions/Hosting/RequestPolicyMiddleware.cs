using HuiminBao.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace HuiminBao.Functions.Hosting;

/// <summary>Runs the shared <see cref="RequestPolicy"/> around every HTTP trigger, as the local host's middleware does around its endpoints.</summary>
public sealed class RequestPolicyMiddleware(RequestPolicy policy) : IFunctionsWorkerMiddleware
{
    public static bool AppliesTo(FunctionContext context) => ApiRoutes.Named(context.FunctionDefinition.Name) is not null;

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        // Every HTTP function is in the route table (a test checks the generated metadata against it).
        if (ApiRoutes.Named(context.FunctionDefinition.Name) is not { } route || context.GetHttpContext() is not HttpContext http)
        {
            await next(context);
            return;
        }
        await policy.InvokeAsync(http, route, () => next(context));
    }
}
