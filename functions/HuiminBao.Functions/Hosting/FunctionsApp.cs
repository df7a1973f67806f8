using HuiminBao.Hosting;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

namespace HuiminBao.Functions.Hosting;

/// <summary>
/// The Functions app's composition: the shared pipeline plus what only this host has. Program runs
/// it; tests build the same service provider from it (without starting, which would dial the
/// Functions host over gRPC).
/// </summary>
public static class FunctionsApp
{
    public static FunctionsApplicationBuilder AddFunctionsApp(this FunctionsApplicationBuilder builder)
    {
        builder.ConfigureFunctionsWebApplication();
        // Registered after ConfigureFunctionsWebApplication so it runs inside the ASP.NET Core proxying
        // middleware, where the HttpContext of an HTTP trigger is set.
        builder.UseWhen<RequestPolicyMiddleware>(RequestPolicyMiddleware.AppliesTo);
        builder.AddTelemetry();
        builder.AddPipeline();
        return builder;
    }
}
