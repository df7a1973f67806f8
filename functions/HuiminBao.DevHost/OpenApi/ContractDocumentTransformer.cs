using HuiminBao.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace HuiminBao.DevHost.OpenApi;

/// <summary>
/// The document as a whole: what it is (zh-CN, for the mini-program team), the groups its routes
/// are listed under, and the three ways callers authenticate.
/// </summary>
internal sealed class ContractDocumentTransformer : IOpenApiDocumentTransformer
{
    public const string Bearer = "bearer";
    public const string FunctionKey = "functionKey";
    public const string FunctionKeyQuery = "functionKeyQuery";
    public const string ConsoleCookie = "consoleCookie";

    private const string Overview = """
        惠民保参保流水线的 HTTP 接口：微信小程序登录、提交和查询投保申请，运营查看统计、导入花名册、处理待审核的申请。

        - JSON 字段为 camelCase；时间为 ISO 8601（带时区），日期按北京时间。
        - 出错时返回 RFC 9457 `application/problem+json`：`code` 是稳定的机器可读代码（小程序按它判断，不会改名或复用），`title`/`detail` 是可直接展示给用户的中文说明；校验失败时 `errors` 逐项列出出错字段（`field` 为 JSON 路径，`code` 为字段错误代码）。错误的输入总是 4xx，且不保存任何内容。
        - 每个接口列出它可能返回的全部错误代码及示例。429 和 503 带 `Retry-After`（秒）。
        - 小程序接口（登录除外）在 `Authorization: Bearer <token>` 中携带登录得到的会话令牌；运营接口携带运营密钥（`x-functions-key` 请求头或 `code` 查询参数）；运营看板凭看板 Cookie。

        本文档由代码生成（`dotnet run --project functions/HuiminBao.DevHost -- openapi docs/openapi.json`），即仓库中的 `docs/openapi.json`，两种主机都在 `GET /api/openapi.json` 提供。
        """;

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo { Title = "惠民保参保接口（HuiminBao）", Version = "1", Description = Overview };
        // Relative to wherever the document is served from: the local host and the Functions app alike.
        document.Servers = [];
        document.Tags = new HashSet<OpenApiTag>(ApiContracts.Tags.Select(t => new OpenApiTag { Name = t.Name, Description = t.Description }));
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
        {
            [Bearer] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "POST /api/sessions 返回的会话令牌（2 小时有效），放在 Authorization: Bearer 请求头中。",
            },
            [FunctionKey] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = "x-functions-key",
                Description = "运营密钥：每人或每个工具一个，配置在 Ops:Keys（名称:密钥；Azure 中为 Key Vault 机密 ops-keys，开发环境为 dev-ops-key）。密钥的名称记入操作记录。",
            },
            [FunctionKeyQuery] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Query,
                Name = "code",
                Description = "同一运营密钥，放在 code 查询参数中（如在浏览器中打开看板）。",
            },
            [ConsoleCookie] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Cookie,
                Name = OpsConsoleSessions.CookieName,
                Description = "看板 Cookie：GET /api/dashboard?code=密钥 设置，HttpOnly、SameSite=Strict，1 小时有效。",
            },
        };
        return Task.CompletedTask;
    }
}
