namespace HuiminBao.Http;

/// <summary>Who may call a route, and how it is checked.</summary>
public enum RouteAccess
{
    /// <summary>
    /// The mini-program: anonymous at the host. Routes that need a session check its bearer token in
    /// the handler; the login and the API description need none (<see cref="ApiContract.SessionToken"/>).
    /// </summary>
    MiniProgram,

    /// <summary>Ops: a function key (<c>AuthorizationLevel.Function</c> in Azure), whose name the request policy reads from <c>Ops:Keys</c>.</summary>
    OpsKey,

    /// <summary>
    /// The ops console in a browser: anonymous at the host, an HttpOnly console cookie checked by the
    /// request policy. The cookie is handed out for an ops key once, so the key leaves the URLs.
    /// </summary>
    OpsConsole,
}

/// <summary>What a route's request body may hold, which sets the size refused before any handler reads it.</summary>
public enum RouteBody
{
    /// <summary>No body expected (GET); a small one is tolerated.</summary>
    None,

    /// <summary>A JSON document; the handler enforces its own, tighter limit.</summary>
    Json,

    /// <summary>A bureau roster file: up to <c>RosterImport:MaxUploadBytes</c>.</summary>
    RosterFile,
}

/// <summary>Which request limits apply to a route (<see cref="RequestRateLimits"/>).</summary>
public enum RouteLimits
{
    None,

    /// <summary>Per client address and per openid, counted in this instance.</summary>
    PerClientAndOpenId,

    /// <summary>Per client address and per openid, counted across instances: routes whose abuse costs the most.</summary>
    PerClientAndOpenIdShared,

    /// <summary>Logins: per client address across instances, since each costs a WeChat <c>jscode2session</c> call.</summary>
    Sessions,
}

/// <param name="Name">The function's name in the Functions app, and the endpoint's name in the local host.</param>
/// <param name="Template">The route under <c>/api</c>, as <c>[HttpTrigger(Route = ...)]</c> spells it.</param>
public sealed record ApiRoute(string Name, string Method, string Template, RouteAccess Access, RouteBody Body, RouteLimits Limits)
{
    public string Pattern => "/api/" + Template;

    /// <summary>The values a request path gives the template's parameters (<c>{id}</c> → <c>id</c>).</summary>
    public IReadOnlyDictionary<string, string> ValuesOf(string path)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var template = Pattern.Split('/');
        var segments = path.Split('/');
        for (var i = 0; i < template.Length && i < segments.Length; i++)
        {
            if (template[i].StartsWith('{') && segments[i].Length > 0)
                values[template[i].Trim('{', '}', '?')] = Uri.UnescapeDataString(segments[i]);
        }
        return values;
    }
}

/// <summary>
/// Every HTTP route both hosts serve: the Functions triggers take their route templates from the
/// constants here, the local host maps <see cref="All"/>, and tests check both against this table
/// (names, verbs, access, and the Functions app's generated <c>functions.metadata</c>). What each
/// route promises beyond that (bodies, answers, problem codes) is its entry in <see cref="ApiContracts"/>.
/// </summary>
public static class ApiRoutes
{
    public const string SessionsTemplate = "sessions";
    public const string SignUpsTemplate = "signups";
    public const string SignUpTemplate = "signups/{id}";
    public const string TalliesTemplate = "tallies";
    public const string DashboardTemplate = "dashboard";
    public const string ConsoleTemplate = "console/{asset?}";
    public const string ConsoleTalliesTemplate = "console/data/tallies";
    public const string AuditTemplate = "ops/audit";
    public const string HealthTemplate = "ops/health";
    public const string ConsoleHealthTemplate = "console/data/health";
    public const string ReviewsTemplate = "ops/reviews";
    public const string RequeueTemplate = "ops/reviews/{id}/requeue";
    public const string RosterImportsTemplate = "ops/roster-imports";
    public const string RosterImportTemplate = "ops/roster-imports/{id}";
    public const string RosterDropsTemplate = "ops/roster-drops";
    public const string RosterDropImportTemplate = "ops/roster-drops/{id}/import";
    public const string OpenApiTemplate = "openapi.json";
    public const string OpsSignUpTemplate = "ops/signups/{id}";
    public const string ResealTemplate = "ops/reseal";

    public static readonly ApiRoute CreateSession = new(nameof(CreateSession), "POST", SessionsTemplate, RouteAccess.MiniProgram, RouteBody.Json, RouteLimits.Sessions);
    public static readonly ApiRoute SubmitSignUp = new(nameof(SubmitSignUp), "POST", SignUpsTemplate, RouteAccess.MiniProgram, RouteBody.Json, RouteLimits.PerClientAndOpenIdShared);
    public static readonly ApiRoute GetSignUp = new(nameof(GetSignUp), "GET", SignUpTemplate, RouteAccess.MiniProgram, RouteBody.None, RouteLimits.PerClientAndOpenId);
    public static readonly ApiRoute GetTallies = new(nameof(GetTallies), "GET", TalliesTemplate, RouteAccess.OpsKey, RouteBody.None, RouteLimits.None);
    public static readonly ApiRoute OpenDashboard = new(nameof(OpenDashboard), "GET", DashboardTemplate, RouteAccess.OpsKey, RouteBody.None, RouteLimits.None);
    public static readonly ApiRoute Console = new(nameof(Console), "GET", ConsoleTemplate, RouteAccess.OpsConsole, RouteBody.None, RouteLimits.None);
    public static readonly ApiRoute ConsoleTallies = new(nameof(ConsoleTallies), "GET", ConsoleTalliesTemplate, RouteAccess.OpsConsole, RouteBody.None, RouteLimits.None);
    public static readonly ApiRoute GetAudit = new(nameof(GetAudit), "GET", AuditTemplate, RouteAccess.OpsKey, RouteBody.None, RouteLimits.None);
    public static readonly ApiRoute GetHealth = new(nameof(GetHealth), "GET", HealthTemplate, RouteAccess.OpsKey, RouteBody.None, RouteLimits.None);
    public static readonly ApiRoute ConsoleHealth = new(nameof(ConsoleHealth), "GET", ConsoleHealthTemplate, RouteAccess.OpsConsole, RouteBody.None, RouteLimits.None);
    public static readonly ApiRoute ListReviews = new(nameof(ListReviews), "GET", ReviewsTemplate, RouteAccess.OpsKey, RouteBody.None, RouteLimits.None);
    public static readonly ApiRoute RequeueReview = new(nameof(RequeueReview), "POST", RequeueTemplate, RouteAccess.OpsKey, RouteBody.None, RouteLimits.None);
    public static readonly ApiRoute UploadRoster = new(nameof(UploadRoster), "POST", RosterImportsTemplate, RouteAccess.OpsKey, RouteBody.RosterFile, RouteLimits.None);
    public static readonly ApiRoute ListRosterImports = new(nameof(ListRosterImports), "GET", RosterImportsTemplate, RouteAccess.OpsKey, RouteBody.None, RouteLimits.None);
    public static readonly ApiRoute GetRosterImport = new(nameof(GetRosterImport), "GET", RosterImportTemplate, RouteAccess.OpsKey, RouteBody.None, RouteLimits.None);
    public static readonly ApiRoute CreateRosterDrop = new(nameof(CreateRosterDrop), "POST", RosterDropsTemplate, RouteAccess.OpsKey, RouteBody.None, RouteLimits.None);
    public static readonly ApiRoute ImportRosterDrop = new(nameof(ImportRosterDrop), "POST", RosterDropImportTemplate, RouteAccess.OpsKey, RouteBody.None, RouteLimits.None);
    public static readonly ApiRoute EraseSignUp = new(nameof(EraseSignUp), "DELETE", OpsSignUpTemplate, RouteAccess.OpsKey, RouteBody.None, RouteLimits.None);
    public static readonly ApiRoute ResealPersonalData = new(nameof(ResealPersonalData), "POST", ResealTemplate, RouteAccess.OpsKey, RouteBody.None, RouteLimits.None);

    /// <summary>The committed OpenAPI document: public, a static file, so nothing to count.</summary>
    public static readonly ApiRoute GetOpenApi = new(nameof(GetOpenApi), "GET", OpenApiTemplate, RouteAccess.MiniProgram, RouteBody.None, RouteLimits.None);

    public static readonly IReadOnlyList<ApiRoute> All =
    [
        CreateSession, SubmitSignUp, GetSignUp,
        GetTallies, OpenDashboard, Console, ConsoleTallies, ConsoleHealth, GetHealth, GetAudit, ListReviews, RequeueReview,
        EraseSignUp, ResealPersonalData,
        UploadRoster, ListRosterImports, GetRosterImport, CreateRosterDrop, ImportRosterDrop,
        GetOpenApi,
    ];

    private static readonly Dictionary<string, ApiRoute> ByFunctionName = All.ToDictionary(r => r.Name, StringComparer.Ordinal);

    public static ApiRoute? Named(string name) => ByFunctionName.GetValueOrDefault(name);
}
