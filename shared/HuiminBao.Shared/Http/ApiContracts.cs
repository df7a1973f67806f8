using HuiminBao.Audit;
using HuiminBao.Dashboard;
using HuiminBao.Domain;
using HuiminBao.Health;
using HuiminBao.Intake;
using HuiminBao.Privacy;
using HuiminBao.Reviews;
using HuiminBao.Roster;
using HuiminBao.SignUps;
using HuiminBao.Tallies;
using static HuiminBao.Http.ContractParameterIn;

namespace HuiminBao.Http;

/// <summary>
/// The contract of every route in <see cref="ApiRoutes.All"/>, in the table's order. A route added
/// to the table needs its entry here; a test fails for a route without one.
/// </summary>
public static class ApiContracts
{
    public const string MiniProgramTag = "小程序";
    public const string OpsTag = "运营";
    public const string RosterTag = "花名册";
    public const string ConsoleTag = "运营看板";
    public const string DocumentTag = "接口文档";

    /// <summary>The groups the document lists routes under, in this order.</summary>
    public static readonly IReadOnlyList<(string Name, string Description)> Tags =
    [
        (MiniProgramTag, "微信小程序调用：登录换取会话令牌、提交投保申请、查询投保结果。除登录外均须携带 Bearer 会话令牌。"),
        (OpsTag, "运营调用：参保统计、操作记录、人工审核。须携带运营密钥（x-functions-key 请求头或 code 查询参数）。"),
        (RosterTag, "运营导入医保局的基本医疗保险参保花名册（CSV，UTF-8 或 GBK）。须携带运营密钥。"),
        (ConsoleTag, "浏览器中的运营看板：带运营密钥打开一次，换取 HttpOnly 看板 Cookie，此后的页面与数据只凭 Cookie。"),
        (DocumentTag, "本接口文档（OpenAPI 3.1），与代码同步生成。"),
    ];

    /// <summary>Every code a sign-up's validation problem can carry in <c>errors[].code</c>.</summary>
    public static readonly IReadOnlyList<string> SignUpFieldCodes =
    [
        ErrorCodes.MalformedJson, ErrorCodes.DuplicateField, ErrorCodes.Required, ErrorCodes.WrongType, ErrorCodes.TooLong,
        ErrorCodes.IdNumberFormat, ErrorCodes.IdNumberLegacy, ErrorCodes.IdNumberChecksum, ErrorCodes.IdNumberBirthDate,
        ErrorCodes.IdNumberBirthDateFuture, ErrorCodes.IdNumberDuplicate, ErrorCodes.MobileInvalid, ErrorCodes.NameInvalid,
        ErrorCodes.RelationInvalid, ErrorCodes.SelfMoreThanOne, ErrorCodes.SelfMismatch, ErrorCodes.HouseholdEmpty,
        ErrorCodes.HouseholdTooLarge, ErrorCodes.PlanYearMismatch, ErrorCodes.EnrollmentNotOpen, ErrorCodes.EnrollmentClosed,
        ErrorCodes.ConsentRequired, ErrorCodes.ConsentVersionUnknown,
    ];

    private static readonly IReadOnlyList<string> TallyFieldCodes =
        [ErrorCodes.TallyDateInvalid, ErrorCodes.TallyRangeInverted, ErrorCodes.TallyRangeTooLong, ErrorCodes.PlanYearInvalid];

    private static readonly string[] Json = ["application/json"];
    private static readonly string[] Html = ["text/html"];
    private static readonly string[] RosterFile = ["text/csv", "application/octet-stream"];

    private static readonly ApiProblem[] TokenProblems =
        [ApiProblem.Unauthorized(ErrorCodes.TokenMissing), ApiProblem.Unauthorized(ErrorCodes.TokenInvalid), ApiProblem.Unauthorized(ErrorCodes.TokenExpired)];

    private static readonly ContractParameter[] TallyRange =
    [
        new("from", Query, "起始日（北京时间，yyyy-MM-dd）；缺省为投保开始日", "2026-03-01"),
        new("to", Query, "截止日（北京时间，yyyy-MM-dd）；缺省为今天。一次最多 1000 天", "2026-03-06"),
        new("planYear", Query, "投保年度；缺省为当前开放的年度", "2026"),
        new("format", Query, "csv 时返回 CSV（也可用 Accept: text/csv）", "csv"),
    ];

    private static readonly ContractParameter AsOf =
        new("asOf", Query, "花名册数据的截止日期（yyyy-MM-dd，不晚于今天）；缺省为今天（北京时间）", "2026-03-01");

    private static readonly ContractHeader ImportLocation = new("Location", "查询该导入进度的地址", RosterImportView.RoutePrefix + "/" + ApiExamples.ImportId);

    private static readonly ApiProblem[] RosterFileProblems =
    [
        RosterProblems.AsOfInvalid(), RosterProblems.FileEmpty(),
        RosterProblems.HeaderInvalid(new RosterHeaderProblem([RosterColumns.StatusField], []).Describe()),
        RosterProblems.TooLarge(new RosterImportOptions().MaxUploadBytes),
    ];

    private static readonly ApiProblem[] TallyProblems =
    [
        TallyQuery.Invalid([FieldError.Of("from", ErrorCodes.TallyDateInvalid)]), TallyQuery.Invalid([FieldError.Of("from", ErrorCodes.TallyRangeInverted)]),
        TallyQuery.Invalid([FieldError.Of("to", ErrorCodes.TallyRangeTooLong)]), TallyQuery.Invalid([FieldError.Of("planYear", ErrorCodes.PlanYearInvalid)]),
    ];

    private static readonly ContractResponse HealthJson = new(200, "运行状况", Json, typeof(PipelineHealth), ApiExamples.Health);

    private static readonly ContractResponse TallyJson = new(200, "每个北京时间自然日的参保人数、累计人数及按区县、险种、关系的分布", Json, typeof(TallyReport), ApiExamples.Tally);

    private static readonly ContractResponse TallyCsvFile = new(200, "format=csv 或 Accept: text/csv 时为 CSV，每日一行", [TallyCsv.ContentType], null, ApiExamples.TallyCsvText);

    public static readonly IReadOnlyList<ApiContract> All =
    [
        new(ApiRoutes.CreateSession, MiniProgramTag, "登录：以 wx.login 的 code 换取会话令牌",
            "用 wx.login 取得的 code 向微信 jscode2session 换取 openid，返回签名的短期 Bearer 会话令牌（2 小时）。每个 code 只能用一次。")
        {
            SessionToken = false,
            UsesStorage = false,
            Request = new(Json, typeof(SessionRequest), ApiExamples.Login, "wx.login 返回的 code"),
            Responses = [new(200, "会话令牌及其过期时间", Json, typeof(SessionIssued), ApiExamples.Session)],
            Problems =
            [
                ApiProblem.Validation([FieldError.Of("code", ErrorCodes.Required)]),
                ApiProblem.BadRequest(ErrorCodes.LoginCodeInvalid), ApiProblem.BadRequest(ErrorCodes.LoginCodeUsed),
                ApiProblem.TooLarge(), ApiProblem.UnsupportedMediaType(),
                ApiProblem.TooManyRequests(ErrorCodes.WeChatRateLimited, TimeSpan.FromSeconds(60)),
                ApiProblem.Of(502, ErrorCodes.WeChatLoginFailed),
                ApiProblem.Unavailable(ErrorCodes.WeChatUnavailable, TimeSpan.FromSeconds(5)),
            ],
            FieldCodes = [ErrorCodes.MalformedJson, ErrorCodes.DuplicateField, ErrorCodes.Required, ErrorCodes.WrongType, ErrorCodes.LoginCodeInvalid],
        },
        new(ApiRoutes.SubmitSignUp, MiniProgramTag, "提交投保申请（一户 1–8 人）",
            "检查令牌和每个字段，保存并排队后立即返回 202，参保资格随后核验，用 Location 查询结果。字段有误时返回 400 validation-failed，errors 中逐项列出出错字段（JSON 路径）及其代码，且不保存任何内容。"
            + "带 Idempotency-Key 重试会得到原来的投保申请（响应头 Idempotent-Replayed: true）；不带时，同一用户同一年度再次提交同一户也得到原来的申请。"
            + "503 storage-unavailable 时按 Retry-After 稍后用同一个 Idempotency-Key 重试。")
        {
            Request = new(Json, typeof(SignUpRequest), ApiExamples.SignUp, "投保人及被保险人"),
            Parameters = [new(HttpRequestInputs.IdempotencyKeyHeader, Header, "幂等键（可选）：1–64 位字母、数字或 -_:.，重试时带同一个键", ApiExamples.IdempotencyKey)],
            Responses =
            [
                new(202, "已受理：投保申请已保存并排队核验", Json, typeof(SignUpAccepted), ApiExamples.Accepted)
                {
                    Headers =
                    [
                        new("Location", "查询该投保申请的地址", ApiExamples.Accepted.Location),
                        new("Idempotent-Replayed", "重试得到的是原来的投保申请时为 true", "true"),
                    ],
                },
            ],
            Problems =
            [
                ApiExamples.SignUpInvalid, ApiProblem.BadRequest(ErrorCodes.IdempotencyKeyInvalid), .. TokenProblems,
                ApiProblem.TooLarge(), ApiProblem.UnsupportedMediaType(), ApiProblem.Of(422, ErrorCodes.IdempotencyKeyReused),
                ApiProblem.Erased(),
            ],
            FieldCodes = SignUpFieldCodes,
        },
        new(ApiRoutes.GetSignUp, MiniProgramTag, "查询投保申请及每位被保险人的结果",
            "只有提交该申请的用户（同一 openid）可以查询；其他用户与不存在的申请一样得到 404。姓名和身份证号均已脱敏。")
        {
            Parameters = [new("id", ContractParameterIn.Path, "投保申请编号（提交时返回的 signUpId）", ApiExamples.SignUpId, Required: true)],
            Responses = [new(200, "投保申请的状态、每位被保险人的结果和订阅消息的发送情况", Json, typeof(SignUpView), ApiExamples.Decided)],
            Problems = [.. TokenProblems, ApiProblem.NotFound(), ApiProblem.Erased()],
        },
        new(ApiRoutes.GetTallies, OpsTag, "参保统计（按北京时间自然日）",
            "每日参保人数、自投保开始日起的累计人数，以及按区县、险种、与投保人关系的分布。不论查询哪段日期，存储调用次数不变。")
        {
            Parameters = TallyRange,
            Responses = [TallyJson, TallyCsvFile],
            Problems = TallyProblems,
            FieldCodes = TallyFieldCodes,
        },
        new(ApiRoutes.OpenDashboard, ConsoleTag, "打开运营看板（以运营密钥换取看板 Cookie）",
            "唯一带运营密钥的看板请求：设置 HttpOnly、SameSite=Strict 的看板 Cookie（1 小时），并以页面跳转到 /api/console/，此后地址中不再出现密钥。在浏览器中打开 /api/dashboard?code=密钥。")
        {
            UsesStorage = false,
            Responses = [new(200, "设置看板 Cookie 并跳转到 /api/console/ 的页面", Html, null, null) { Headers = [new("Set-Cookie", "看板 Cookie（HttpOnly; SameSite=Strict; Path=/api/console）", "hmb_console=...; path=/api/console; httponly; samesite=strict")] }],
        },
        new(ApiRoutes.Console, ConsoleTag, "运营看板页面及其脚本",
            "asset 为空（/api/console/）时返回看板页面，否则返回页面所用的脚本（dashboard.js、echarts.min.js）。全部由主机提供，不加载任何 CDN。")
        {
            UsesStorage = false,
            Parameters = [new("asset", ContractParameterIn.Path, "为空时（/api/console/）是看板页面，否则是页面所用的脚本", DashboardPage.ScriptAsset, Required: true)],
            Responses = [new(200, "看板页面或脚本", ["text/html", "text/javascript"], null, null)],
            Problems = [ApiProblem.NotFound()],
        },
        new(ApiRoutes.ConsoleTallies, ConsoleTag, "看板数据：参保统计",
            "与 GET /api/tallies 相同的数据，凭看板 Cookie 访问。")
        {
            Parameters = TallyRange,
            Responses = [TallyJson, TallyCsvFile],
            Problems = TallyProblems,
            FieldCodes = TallyFieldCodes,
        },
        new(ApiRoutes.ConsoleHealth, ConsoleTag, "看板数据：流水线运行状况",
            "与 GET /api/ops/health 相同的数据，凭看板 Cookie 访问。")
        {
            Responses = [HealthJson],
        },
        new(ApiRoutes.GetHealth, OpsTag, "流水线运行状况",
            "每分钟受理和核验完成的投保申请数、各队列的积压及最早消息的等待时间、从受理到核验完成的时间（p50/p95）、待审核数、医保接口熔断状态、微信消息发送失败数，以及超过告警阈值的提示。仅有汇总数字，不含个人信息；10 秒内重复查询返回同一结果。")
        {
            Responses = [HealthJson],
        },
        new(ApiRoutes.GetAudit, OpsTag, "运营操作记录",
            "每一次运营操作：谁（密钥名称）、哪个接口、针对哪个编号、何时、结果状态码，最新的在前；一次最多 31 天、1000 条。不含任何个人信息。")
        {
            Parameters =
            [
                new("from", Query, "起始日（北京时间，yyyy-MM-dd）；缺省与 to 相同", "2026-03-06"),
                new("to", Query, "截止日（北京时间，yyyy-MM-dd）；缺省为今天", "2026-03-06"),
            ],
            Responses = [new(200, "操作记录，最新的在前；truncated 为 true 时还有更多", Json, typeof(AuditList), ApiExamples.Audit)],
            Problems = [ApiProblem.Validation([FieldError.Of("from", ErrorCodes.DateInvalid)])],
            FieldCodes = [ErrorCodes.DateInvalid, ErrorCodes.DateRangeInverted, ErrorCodes.AuditRangeTooLong],
        },
        new(ApiRoutes.ListReviews, OpsTag, "待人工审核的投保申请",
            "核验多次失败（进入 poison 队列）的投保申请，状态为 needs-review。")
        {
            Responses = [new(200, "待审核的投保申请", Json, typeof(ReviewList), ApiExamples.Reviews)],
        },
        new(ApiRoutes.RequeueReview, OpsTag, "重新核验一份待审核的投保申请",
            "排除故障后，把该投保申请重新放回 signups 队列核验。")
        {
            Parameters = [new("id", ContractParameterIn.Path, "投保申请编号", ApiExamples.SignUpId, Required: true)],
            Responses = [new(202, "已重新排队", Json, typeof(Requeued), ApiExamples.Requeued)],
            Problems = [ApiProblem.NotFound()],
        },
        new(ApiRoutes.EraseSignUp, OpsTag, "删除一份投保申请中的个人信息（个人信息保护法）",
            "应本人要求删除：投保申请中的姓名、身份证号、手机号及其派生数据在所有保存处删除，只留下它曾存在的记录（所属用户、年度、时间、同意的隐私政策版本）；参保记录与统计数字不变。重复调用同样返回 204。此后本人查询或重提同一请求得到 410 erased。")
        {
            Parameters = [new("id", ContractParameterIn.Path, "投保申请编号", ApiExamples.SignUpId, Required: true)],
            Responses = [new(204, "已删除（或此前已删除）", [], null, null)],
            Problems = [ApiProblem.NotFound()],
        },
        new(ApiRoutes.ResealPersonalData, OpsTag, "数据密钥轮换后重新加密个人信息",
            "把仍以旧密钥加密的个人信息用当前密钥重新加密，每次最多 limit 条（1–1000，缺省 500）；返回 continuation 时带上它再调用，直到 done 为 true。已用当前密钥加密的数据不会重写，重复调用是安全的。")
        {
            Parameters =
            [
                new("continuation", Query, "上一次调用返回的 continuation；第一次调用不带", ApiExamples.Reseal.Continuation!),
                new("limit", Query, "本次最多处理的记录数（1–1000，缺省 500）", "500"),
            ],
            Responses = [new(200, "本次处理的数量、当前密钥编号，以及是否完成", Json, typeof(ResealProgress), ApiExamples.Reseal)],
            Problems = [ApiProblem.BadRequest(ErrorCodes.ResealLimitInvalid), ApiProblem.BadRequest(ErrorCodes.ContinuationInvalid)],
        },
        new(ApiRoutes.UploadRoster, RosterTag, "上传参保花名册",
            "请求体即医保局的花名册 CSV（UTF-8 或 GBK/GB18030，含表头：身份证号、姓名、险种、行政区划、参保状态，顺序不限）。文件加密保存后排队导入；同一文件再次上传是同一次导入，不会重复导入。超过 100 MB 的文件请改用 POST /api/ops/roster-drops。")
        {
            Request = new(RosterFile, null, ApiExamples.RosterCsv, "花名册 CSV 文件"),
            Parameters = [AsOf],
            Responses = [new(202, "已受理，排队导入", Json, typeof(RosterImportView), ApiExamples.RosterQueued) { Headers = [ImportLocation] }],
            Problems = [RosterProblems.UnsupportedMediaType(), .. RosterFileProblems],
        },
        new(ApiRoutes.ListRosterImports, RosterTag, "最近的花名册导入",
            "最近的导入及其进度。")
        {
            Responses = [new(200, "最近的导入", Json, typeof(List<RosterImportView>), new List<RosterImportView> { ApiExamples.RosterImport })],
        },
        new(ApiRoutes.GetRosterImport, RosterTag, "一次花名册导入的进度",
            "已读行数、已导入行数、错误行（行号和原因）。")
        {
            Parameters = [new("id", ContractParameterIn.Path, "导入编号（上传时返回的 importId）", ApiExamples.ImportId, Required: true)],
            Responses = [new(200, "导入进度", Json, typeof(RosterImportView), ApiExamples.RosterImport)],
            Problems = [RosterProblems.NotFound()],
        },
        new(ApiRoutes.CreateRosterDrop, RosterTag, "申请大文件直传地址",
            "超过 100 MB 的花名册（Azure Functions 单个请求的上限）先直传到存储：返回一个只能写入一个文件、30 分钟内有效的地址。上传：curl -T roster.csv -H 'x-ms-blob-type: BlockBlob' \"$uploadUrl\"，然后调用 importUrl。")
        {
            Responses = [new(200, "直传地址、方法、须带的请求头、过期时间和开始导入的地址", Json, typeof(RosterDropView), ApiExamples.RosterDrop)],
        },
        new(ApiRoutes.ImportRosterDrop, RosterTag, "导入已直传的花名册",
            "读取直传的文件，与直接上传一样加密保存并排队导入，然后删除明文文件。")
        {
            Parameters = [new("id", ContractParameterIn.Path, "直传编号（申请直传地址时返回的 dropId）", ApiExamples.DropId, Required: true), AsOf],
            Responses = [new(202, "已受理，排队导入", Json, typeof(RosterImportView), ApiExamples.RosterQueued) { Headers = [ImportLocation] }],
            Problems = [RosterProblems.DropNotFound(), .. RosterFileProblems],
        },
        new(ApiRoutes.GetOpenApi, DocumentTag, "本接口文档（OpenAPI 3.1）",
            "仓库中 docs/openapi.json 的内容，由代码生成；两种主机返回相同的字节。本地主机另有可浏览的参考页面 /scalar/。")
        {
            SessionToken = false,
            UsesStorage = false,
            Responses = [new(200, "OpenAPI 3.1 文档", Json, null, null)],
        },
    ];

    private static readonly Dictionary<ApiRoute, ApiContract> ByRoute = All.ToDictionary(c => c.Route);

    public static ApiContract? For(ApiRoute route) => ByRoute.GetValueOrDefault(route);
}
