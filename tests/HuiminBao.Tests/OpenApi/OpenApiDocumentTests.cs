using System.Text.Json;
using HuiminBao.DevHost.Azurite;
using HuiminBao.DevHost.OpenApi;
using HuiminBao.Domain;
using HuiminBao.Http;
using HuiminBao.Roster;

namespace HuiminBao.Tests.OpenApi;

/// <summary>
/// <c>docs/openapi.json</c> is what the code generates, and what it generates covers the route
/// table: every route, its problem codes, who may call it.
/// </summary>
public sealed class OpenApiDocumentTests(GeneratedDocument generated) : IClassFixture<GeneratedDocument>
{
    public static string CommittedPath => Path.Combine(RepositoryRoot.Find(), "docs", "openapi.json");

    [Fact]
    public void The_committed_document_is_the_one_the_code_generates()
    {
        var committed = File.ReadAllText(CommittedPath).ReplaceLineEndings("\n");
        if (committed == generated.Text)
            return;
        var theirs = committed.Split('\n');
        var ours = generated.Text.Split('\n');
        var line = Enumerable.Range(0, Math.Min(theirs.Length, ours.Length)).FirstOrDefault(i => theirs[i] != ours[i], Math.Min(theirs.Length, ours.Length));
        Assert.Fail($"""
            docs/openapi.json is stale: the code now generates a different document. Regenerate it from the repository root with
              {OpenApiCommand.Regenerate}
            and commit it. First difference at line {line + 1}:
              committed: {(line < theirs.Length ? theirs[line].Trim() : "(end of file)")}
              generated: {(line < ours.Length ? ours[line].Trim() : "(end of file)")}
            """);
    }

    [Fact]
    public async Task Generating_twice_gives_the_same_bytes()
    {
        Assert.Equal(generated.Text, await OpenApiCommand.GenerateAsync(CancellationToken.None));
    }

    [Fact]
    public void It_is_OpenAPI_3_1_and_lists_every_route_of_the_table_and_nothing_else()
    {
        Assert.StartsWith("3.1.", generated.Root.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var documented = generated.Operations.Select(o => $"{o.Method} {o.Path} {o.Operation.GetProperty("operationId").GetString()}").ToList();
        // An optional segment ({asset?}) is a path parameter like any other in OpenAPI.
        var table = ApiRoutes.All.Select(r => $"{r.Method} {r.Pattern.Replace("?}", "}", StringComparison.Ordinal)} {r.Name}").ToList();
        Assert.Equal(table.Order(), documented.Order());
    }

    [Fact]
    public void Every_route_of_the_table_has_a_contract_and_every_contract_a_route()
    {
        Assert.Empty(ApiRoutes.All.Where(r => ApiContracts.For(r) is null).Select(r => r.Name));
        Assert.Equal(ApiRoutes.All.Select(r => r.Name), ApiContracts.All.Select(c => c.Route.Name));
        foreach (var operation in generated.Operations)
        {
            var contract = ApiContracts.For(ApiRoutes.Named(operation.Operation.GetProperty("operationId").GetString()!)!)!;
            Assert.Equal(contract.Summary, operation.Operation.GetProperty("summary").GetString());
            Assert.Equal([contract.Tag], operation.Operation.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        }
    }

    [Fact]
    public void A_sign_up_lists_every_problem_code_it_can_answer_with_the_field_codes_and_the_bearer_token()
    {
        var signUp = generated.Operation("SubmitSignUp");
        Assert.Equal(["validation-failed", "idempotency-key-invalid"], Codes(signUp, 400));
        Assert.Equal([.. ApiContracts.SignUpFieldCodes], FieldCodes(signUp, 400));
        Assert.Equal(["token-missing", "token-invalid", "token-expired"], Codes(signUp, 401));
        Assert.Equal(["body-too-large"], Codes(signUp, 413));
        Assert.Equal(["unsupported-media-type"], Codes(signUp, 415));
        Assert.Equal(["idempotency-key-reused"], Codes(signUp, 422));
        Assert.Equal(["rate-limited"], Codes(signUp, 429));
        Assert.Equal(["storage-unavailable"], Codes(signUp, 503));
        Assert.Equal(["bearer"], Security(signUp));
        Assert.True(signUp.GetProperty("responses").GetProperty("503").GetProperty("headers").TryGetProperty("Retry-After", out _));

        // Each problem's example is what the API writes: the zh-CN text of ErrorMessages.
        var example = signUp.GetProperty("responses").GetProperty("401").GetProperty("content").GetProperty(ProblemResults.ContentType)
            .GetProperty("examples").GetProperty("token-expired").GetProperty("value");
        Assert.Equal(ErrorMessages.For(ErrorCodes.TokenExpired), example.GetProperty("title").GetString());
        Assert.Equal(401, example.GetProperty("status").GetInt32());
    }

    /// <summary>A roster too big for the upload limit and one too big for a request share a code; ops need the second text, which points to roster drops.</summary>
    [Fact]
    public void A_code_answered_with_two_texts_keeps_an_example_of_each()
    {
        var upload = generated.Operation("UploadRoster");
        var examples = upload.GetProperty("responses").GetProperty("413").GetProperty("content").GetProperty(ProblemResults.ContentType).GetProperty("examples");

        Assert.Equal([ErrorCodes.BodyTooLarge], Codes(upload, 413));
        Assert.Equal(
            [RosterProblems.TooLarge(1).Title, RosterProblems.TooLargeForRequest(1).Title],
            examples.EnumerateObject().Select(e => e.Value.GetProperty("value").GetProperty("title").GetString()));
    }

    [Fact]
    public void Each_kind_of_caller_has_its_scheme_and_the_ops_routes_say_a_key_is_required()
    {
        var schemes = generated.Root.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("bearer", schemes.GetProperty("bearer").GetProperty("scheme").GetString());
        Assert.Equal(("header", "x-functions-key"), In(schemes.GetProperty("functionKey")));
        Assert.Equal(("query", "code"), In(schemes.GetProperty("functionKeyQuery")));
        Assert.Equal(("cookie", OpsConsoleSessions.CookieName), In(schemes.GetProperty("consoleCookie")));

        foreach (var route in ApiRoutes.All)
        {
            var operation = generated.Operation(route.Name);
            var expected = route.Access switch
            {
                RouteAccess.OpsKey => ["functionKey", "functionKeyQuery"],
                RouteAccess.OpsConsole => ["consoleCookie"],
                _ when ApiContracts.For(route)!.SessionToken => new[] { "bearer" },
                _ => [],
            };
            Assert.True(expected.SequenceEqual(Security(operation)), $"{route.Name}: {string.Join(',', Security(operation))}");
            if (route.Access != RouteAccess.MiniProgram)
                Assert.Contains(route.Access == RouteAccess.OpsKey ? ErrorCodes.OpsKeyRequired : ErrorCodes.OpsSessionRequired, Codes(operation, 401));
        }
        Assert.Empty(Security(generated.Operation("CreateSession")));
        Assert.Empty(Security(generated.Operation("GetOpenApi")));
    }

    /// <summary>
    /// Every code the API can answer with is on some route. Two are not: internal-error, which is a
    /// bug's answer rather than part of the contract, and unknown-field, which is named but answered
    /// nowhere (the sign-up form ignores fields it doesn't know).
    /// </summary>
    [Fact]
    public void Every_error_code_the_api_answers_is_documented_on_some_route()
    {
        string[] notAnswered = [ErrorCodes.InternalError, ErrorCodes.UnknownField];
        var codes = typeof(ErrorCodes).GetFields().Concat(typeof(RosterProblems).GetFields())
            .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!)
            .Except(notAnswered).ToList();
        var documented = generated.Operations.SelectMany(o => o.Operation.GetProperty("responses").EnumerateObject()
            .SelectMany(r => Codes(o.Operation, int.Parse(r.Name, System.Globalization.CultureInfo.InvariantCulture)).Concat(FieldCodes(o.Operation, int.Parse(r.Name, System.Globalization.CultureInfo.InvariantCulture)))))
            .ToHashSet();
        var missing = codes.Where(c => !documented.Contains(c)).ToList();
        Assert.True(missing.Count == 0, "Not documented on any route: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_examples_are_in_Chinese_and_show_masked_personal_data_in_answers()
    {
        var signUp = generated.Operation("SubmitSignUp").GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example");
        Assert.Equal("张三", signUp.GetProperty("applicant").GetProperty("name").GetString());
        var view = generated.Operation("GetSignUp").GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("example");
        var insured = view.GetProperty("insured").EnumerateArray().ToList();
        Assert.Equal(["张*", "李*", "张**"], insured.Select(i => i.GetProperty("name").GetString()));
        Assert.All(insured, i => Assert.Matches(@"^\d{6}\*{8}\d{3}[\dX]$", i.GetProperty("idNumber").GetString()));
        Assert.DoesNotContain(ApiExamples.SignUp.Insured[1].IdNumber, generated.Operation("GetSignUp").GetRawText(), StringComparison.Ordinal);
    }

    private static List<string> Codes(JsonElement operation, int status) =>
        Problem(operation, status) is { } schema ? Values(schema.GetProperty("properties").GetProperty("code")) : [];

    private static List<string> FieldCodes(JsonElement operation, int status) =>
        Problem(operation, status) is { } schema && schema.GetProperty("properties").TryGetProperty("errors", out var errors)
            ? Values(errors.GetProperty("items").GetProperty("properties").GetProperty("code"))
            : [];

    /// <summary>The problem response's own constraint: the second half of its allOf, after the shared ProblemBody.</summary>
    private static JsonElement? Problem(JsonElement operation, int status) =>
        operation.GetProperty("responses").TryGetProperty(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response)
        && response.TryGetProperty("content", out var content) && content.TryGetProperty(ProblemResults.ContentType, out var media)
            ? media.GetProperty("schema").GetProperty("allOf")[1]
            : null;

    private static List<string> Values(JsonElement schema) => [.. schema.GetProperty("enum").EnumerateArray().Select(v => v.GetString()!)];

    private static List<string> Security(JsonElement operation) =>
        operation.TryGetProperty("security", out var security) ? [.. security.EnumerateArray().SelectMany(r => r.EnumerateObject().Select(p => p.Name))] : [];

    private static (string, string) In(JsonElement scheme) => (scheme.GetProperty("in").GetString()!, scheme.GetProperty("name").GetString()!);
}

/// <summary>The document as the code generates it now, generated once for the class.</summary>
public sealed class GeneratedDocument : IAsyncLifetime
{
    public string Text { get; private set; } = "";

    public JsonElement Root { get; private set; }

    public IReadOnlyList<(string Method, string Path, JsonElement Operation)> Operations { get; private set; } = [];

    public JsonElement Operation(string name) => Operations.Single(o => o.Operation.GetProperty("operationId").GetString() == name).Operation;

    public async Task InitializeAsync()
    {
        Text = await OpenApiCommand.GenerateAsync(CancellationToken.None);
        Root = JsonDocument.Parse(Text).RootElement.Clone();
        Operations = [.. Root.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (op.Name.ToUpperInvariant(), path.Name, op.Value)))];
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
