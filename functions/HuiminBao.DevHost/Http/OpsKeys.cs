using System.Security.Cryptography;
using System.Text;
using HuiminBao.Domain;
using HuiminBao.Http;

namespace HuiminBao.DevHost.Http;

/// <summary>
/// Stands in for Azure's <c>AuthorizationLevel.Function</c> on ops routes: the caller sends a key in
/// <c>x-functions-key</c> (or <c>?code=</c>, which Azure also accepts), checked against <c>Ops:Keys</c>.
/// </summary>
public static class OpsKeys
{
    public const string Header = "x-functions-key";
    public const string Setting = "Ops:Keys";

    public static RouteGroupBuilder RequireOpsKey(this RouteGroupBuilder group)
    {
        group.WithMetadata(new OpsKeyRequired());
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var configured = http.RequestServices.GetRequiredService<IConfiguration>()[Setting];
            var presented = http.Request.Headers[Header].ToString();
            if (string.IsNullOrEmpty(presented))
                presented = http.Request.Query["code"].ToString();
            return Accepts(configured, presented) ? await next(context) : ApiProblem.Unauthorized(ErrorCodes.OpsKeyRequired).ToResult();
        });
        return group;
    }

    internal static bool Accepts(string? configured, string presented)
    {
        if (string.IsNullOrEmpty(presented))
            return false;
        var candidate = Encoding.UTF8.GetBytes(presented);
        var accepted = false;
        foreach (var key in (configured ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            accepted |= CryptographicOperations.FixedTimeEquals(candidate, Encoding.UTF8.GetBytes(key));
        return accepted;
    }
}

/// <summary>Endpoint metadata: this route is an ops route (<c>AuthorizationLevel.Function</c> in Azure).</summary>
public sealed class OpsKeyRequired;
