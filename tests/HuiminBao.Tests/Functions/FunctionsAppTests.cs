using System.Net;
using System.Text.Json;
using HuiminBao.Domain;
using HuiminBao.Hosting;
using HuiminBao.Http;
using HuiminBao.Queues;
using HuiminBao.Security;
using HuiminBao.Storage;
using HuiminBao.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace HuiminBao.Tests.Functions;

/// <summary>The Functions app itself, built from its own composition and driven through its trigger classes against Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class FunctionsAppTests(AzuriteFixture azurite)
{
    private const int PlanYear = PipelineHost.PlanYear;

    [Fact]
    public async Task Every_trigger_class_resolves_from_the_apps_own_validated_container()
    {
        await using var app = await FunctionsAppHost.StartAsync(azurite);
        await using var scope = app.Services.CreateAsyncScope();

        var functions = typeof(HuiminBao.Functions.Hosting.FunctionsApp).Assembly.GetTypes()
            .Where(t => t.GetMethods().Any(m => m.GetCustomAttributes(typeof(Microsoft.Azure.Functions.Worker.FunctionAttribute), false).Length > 0))
            .ToList();

        Assert.Equal(ApiRoutes.All.Count + PipelineTriggers.Queues.Count + PipelineTriggers.Timers.Count, functions.Count);
        foreach (var type in functions)
            Assert.NotNull(ActivatorUtilities.CreateInstance(scope.ServiceProvider, type));
    }

    [Fact]
    public async Task A_household_goes_from_login_to_notification_through_the_functions_triggers()
    {
        await using var app = await FunctionsAppHost.StartAsync(azurite);
        var person = People.Next();
        await ImportRosterAsync(app, person);

        var session = await app.HttpAsync("CreateSession", "POST", "/api/sessions", JsonSerializer.Serialize(new { code = app.WeChat.IssueCode("o-fn-household") }));
        Assert.Equal(200, session.Status);
        var token = session.Json.GetProperty("token").GetString()!;

        var submitted = await app.HttpAsync("SubmitSignUp", "POST", "/api/signups", People.SelfSignUp(PlanYear, person), FunctionsAppHost.Bearer(token));
        Assert.Equal(202, submitted.Status);
        var signUpId = submitted.Json.GetProperty("signUpId").GetString()!;
        Assert.Equal($"/api/signups/{signUpId}", submitted.Headers.Location.ToString());

        var pending = await app.HttpAsync("GetSignUp", "GET", $"/api/signups/{signUpId}", headers: FunctionsAppHost.Bearer(token));
        Assert.Equal("pending", pending.Json.GetProperty("status").GetString());

        await app.QueueAsync("ValidateSignUp", await app.TakeMessageAsync(QueueNames.SignUps));
        await app.QueueAsync("NotifyApplicant", await app.TakeMessageAsync(QueueNames.Notifications));

        var decided = await app.HttpAsync("GetSignUp", "GET", $"/api/signups/{signUpId}", headers: FunctionsAppHost.Bearer(token));
        Assert.Equal(200, decided.Status);
        Assert.Equal(SignUpStatus.Enrolled, decided.Json.GetProperty("status").GetString());
        Assert.Equal("sent", decided.Json.GetProperty("notification").GetString());
        Assert.Single(app.WeChat.AcceptedFor("o-fn-household"));

        var tallies = await app.HttpAsync("GetTallies", "GET", "/api/tallies", headers: FunctionsAppHost.OpsHeaders());
        Assert.Equal(200, tallies.Status);
        Assert.Equal(1, tallies.Json.GetProperty("cumulative").GetInt64());
        var csv = await app.HttpAsync("GetTallies", "GET", "/api/tallies?format=csv", headers: FunctionsAppHost.OpsHeaders());
        Assert.StartsWith("text/csv", csv.Headers.ContentType.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ops_triggers_answer_with_the_ops_key_and_refuse_without_it()
    {
        await using var app = await FunctionsAppHost.StartAsync(azurite);

        var entry = await app.HttpAsync("OpenDashboard", "GET", "/api/dashboard", headers: FunctionsAppHost.OpsHeaders());
        Assert.Equal(200, entry.Status);
        var cookie = entry.Headers.SetCookie.ToString().Split(';')[0];
        Assert.StartsWith("hmb_console=", cookie, StringComparison.Ordinal);
        var console = new Dictionary<string, string> { ["cookie"] = cookie };
        var page = await app.HttpAsync("Console", "GET", "/api/console/", headers: console);
        Assert.Equal(200, page.Status);
        Assert.Contains("<html", page.Body, StringComparison.OrdinalIgnoreCase);
        var script = await app.HttpAsync("Console", "GET", "/api/console/dashboard.js", headers: console);
        Assert.Equal(200, script.Status);
        var data = await app.HttpAsync("ConsoleTallies", "GET", "/api/console/data/tallies", headers: console);
        Assert.Equal(200, data.Status);
        Assert.Equal(401, (await app.HttpAsync("Console", "GET", "/api/console/", headers: FunctionsAppHost.OpsHeaders())).Status);

        var reviews = await app.HttpAsync("ListReviews", "GET", "/api/ops/reviews", headers: FunctionsAppHost.OpsHeaders());
        Assert.Equal(0, reviews.Json.GetProperty("items").GetArrayLength());
        var requeue = await app.HttpAsync("RequeueReview", "POST", "/api/ops/reviews/abcdefghijklmnopqrstuvwx/requeue", headers: FunctionsAppHost.OpsHeaders());
        Assert.Equal(404, requeue.Status);

        var imports = await app.HttpAsync("ListRosterImports", "GET", "/api/ops/roster-imports", headers: FunctionsAppHost.OpsHeaders());
        Assert.Equal(200, imports.Status);
        var missing = await app.HttpAsync("GetRosterImport", "GET", "/api/ops/roster-imports/0123456789abcdef0123456789abcdef", headers: FunctionsAppHost.OpsHeaders());
        Assert.Equal(404, missing.Status);

        var audit = await app.HttpAsync("GetAudit", "GET", "/api/ops/audit", headers: FunctionsAppHost.OpsHeaders());
        var actions = audit.Json.GetProperty("entries").EnumerateArray().Select(e => (Route: e.GetProperty("route").GetString(), Caller: e.GetProperty("caller").GetString(), Status: e.TryGetProperty("status", out var s) ? s.GetInt32() : 0)).ToList();
        Assert.Contains(("RequeueReview", FunctionsAppHost.OpsKeyName, 404), actions);
        Assert.Contains(("ConsoleTallies", FunctionsAppHost.OpsKeyName, 200), actions);
        Assert.Contains(("GetAudit", FunctionsAppHost.OpsKeyName, 0), actions);

        foreach (var (function, method, path) in new[] { ("GetTallies", "GET", "/api/tallies"), ("ListReviews", "GET", "/api/ops/reviews"), ("CreateRosterDrop", "POST", "/api/ops/roster-drops") })
        {
            var refused = await app.HttpAsync(function, method, path, headers: new Dictionary<string, string> { ["x-functions-key"] = "not-a-key" });
            Assert.Equal(401, refused.Status);
            Assert.Equal(ErrorCodes.OpsKeyRequired, refused.Json.GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task Poison_and_timer_triggers_settle_what_failed_and_report_the_day()
    {
        await using var app = await FunctionsAppHost.StartAsync(azurite);
        var session = await app.HttpAsync("CreateSession", "POST", "/api/sessions", JsonSerializer.Serialize(new { code = app.WeChat.IssueCode("o-fn-poison") }));
        var token = session.Json.GetProperty("token").GetString()!;
        var submitted = await app.HttpAsync("SubmitSignUp", "POST", "/api/signups", People.SelfSignUp(PlanYear, People.Next()), FunctionsAppHost.Bearer(token));
        var signUpId = submitted.Json.GetProperty("signUpId").GetString()!;
        var message = await app.TakeMessageAsync(QueueNames.SignUps);

        // As the host does after maxDequeueCount: the same message, now on the poison queue.
        await app.QueueAsync("ReviewPoisonedSignUp", message, dequeueCount: 1);
        var reviewed = await app.HttpAsync("GetSignUp", "GET", $"/api/signups/{signUpId}", headers: FunctionsAppHost.Bearer(token));
        Assert.Equal(SignUpStatus.NeedsReview, reviewed.Json.GetProperty("status").GetString());
        var listed = await app.HttpAsync("ListReviews", "GET", "/api/ops/reviews", headers: FunctionsAppHost.OpsHeaders());
        Assert.Equal(signUpId, listed.Json.GetProperty("items")[0].GetProperty("signUpId").GetString());

        var notification = JsonSerializer.Serialize(new { notifications = new[] { new { signUpId, openId = "o-fn-poison", planYear = PlanYear, status = SignUpStatus.NeedsReview, persons = Array.Empty<object>() } } });
        await app.QueueAsync("ReviewPoisonedNotification", notification);
        var settled = await app.HttpAsync("GetSignUp", "GET", $"/api/signups/{signUpId}", headers: FunctionsAppHost.Bearer(token));
        Assert.Equal("failed", settled.Json.GetProperty("notification").GetString());

        await app.TimerAsync("DailyReport");
        var markers = app.Storage.Table(TableNames.OpsState).QueryAsync<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == "daily-report");
        Assert.NotEmpty(await markers.ToListAsync());
    }

    [Fact]
    public async Task Storage_that_cannot_be_reached_is_answered_503_with_retry_after()
    {
        await using var app = await FunctionsAppHost.StartAsync(azurite, connectionString: UnreachableStorage.ConnectionString(), provision: false);
        var token = app.Services.GetRequiredService<SessionTokens>().Issue("o-fn-outage").Token;

        var status = await app.HttpAsync("GetSignUp", "GET", "/api/signups/abcdefghijklmnopqrstuvwx", headers: FunctionsAppHost.Bearer(token));
        var tallies = await app.HttpAsync("GetTallies", "GET", "/api/tallies", headers: FunctionsAppHost.OpsHeaders());
        var submitted = await app.HttpAsync("SubmitSignUp", "POST", "/api/signups", People.SelfSignUp(PlanYear, People.Next()), FunctionsAppHost.Bearer(token));

        foreach (var answer in new[] { status, tallies, submitted })
        {
            Assert.Equal(503, answer.Status);
            Assert.StartsWith("application/problem+json", answer.Headers.ContentType.ToString(), StringComparison.Ordinal);
            Assert.Equal(ErrorCodes.StorageUnavailable, answer.Json.GetProperty("code").GetString());
            Assert.True(int.Parse(answer.Headers.RetryAfter.ToString(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        }
    }

    [Fact]
    public async Task A_client_over_its_login_limit_is_answered_429_before_wechat_is_asked()
    {
        await using var app = await FunctionsAppHost.StartAsync(azurite, new Dictionary<string, string?> { ["RateLimits:SessionsPerClientPerMinute"] = "2" });

        var answers = new List<FunctionResponse>();
        for (var i = 0; i < 3; i++)
            answers.Add(await app.HttpAsync("CreateSession", "POST", "/api/sessions", JsonSerializer.Serialize(new { code = app.WeChat.IssueCode($"o-fn-limit-{i}") })));

        Assert.Equal([200, 200, 429], answers.Select(a => a.Status));
        Assert.Equal(ErrorCodes.RateLimited, answers[2].Json.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(answers[2].Headers.RetryAfter.ToString()));
        Assert.Equal(2, app.WeChat.LoginCalls);
        // Another client address has its own allowance.
        var other = await app.HttpAsync("CreateSession", "POST", "/api/sessions", JsonSerializer.Serialize(new { code = app.WeChat.IssueCode("o-fn-limit-other") }), client: IPAddress.Parse("198.51.100.9"));
        Assert.Equal(200, other.Status);
    }

    [Fact]
    public async Task A_client_spreading_sign_ups_over_two_instances_meets_one_limit()
    {
        var shared = new Dictionary<string, string?>
        {
            ["RateLimits:PerOpenIdPerMinute"] = "10",
            ["RateLimits:SharedAfter"] = "2",
            ["RateLimits:SharedSyncInterval"] = "00:00:00.010",
            ["Security:IdHashKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["Security:SessionKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        };
        var account = azurite.NewAccount();
        await using var first = await FunctionsAppHost.StartAsync(azurite, shared, connectionString: account);
        await using var second = await FunctionsAppHost.StartAsync(azurite, shared, connectionString: account);
        var token = first.Services.GetRequiredService<SessionTokens>().Issue("o-fn-spread").Token;

        var admitted = 0;
        for (var i = 0; i < 40; i++)
        {
            var instance = i % 2 == 0 ? first : second;
            // An empty household: refused by validation, but only once the limits let it through.
            var answer = await instance.HttpAsync("SubmitSignUp", "POST", "/api/signups", "{}", FunctionsAppHost.Bearer(token));
            if (answer.Status != 429)
                admitted++;
        }

        // Each instance alone would let 10 through; together they stay at the limit plus what each may admit before counting in the shared table.
        Assert.InRange(admitted, 10, 10 + (2 * 2));
    }

    private static async Task ImportRosterAsync(FunctionsAppHost app, Person person)
    {
        var csv = $"身份证号,姓名,险种,行政区划,参保状态\n{person.IdNumber},{person.Name},居民,410502,正常\n";
        var uploaded = await app.HttpAsync("UploadRoster", "POST", "/api/ops/roster-imports", csv, FunctionsAppHost.OpsHeaders(), contentType: "text/csv");
        Assert.Equal(202, uploaded.Status);
        var importId = uploaded.Json.GetProperty("importId").GetString()!;
        await app.QueueAsync("ImportRoster", await app.TakeMessageAsync(QueueNames.RosterImports));
        var status = await app.HttpAsync("GetRosterImport", "GET", $"/api/ops/roster-imports/{importId}", headers: FunctionsAppHost.OpsHeaders());
        Assert.Equal("completed", status.Json.GetProperty("state").GetString());
        Assert.Equal(1, status.Json.GetProperty("rowsImported").GetInt64());
    }
}
