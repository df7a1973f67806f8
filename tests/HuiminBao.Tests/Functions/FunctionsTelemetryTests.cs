using System.Diagnostics;
using System.Text;
using System.Text.Json;
using HuiminBao.Queues;
using HuiminBao.Tests.Infrastructure;
using OpenTelemetry.Logs;

namespace HuiminBao.Tests.Functions;

/// <summary>What the Functions app would export to Application Insights carries no secret and no personal data.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class FunctionsTelemetryTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Exported_spans_and_logs_carry_no_secrets_and_no_personal_data()
    {
        await using var app = await FunctionsAppHost.StartAsync(azurite);
        var person = People.Next();
        var code = app.WeChat.IssueCode("o-fn-telemetry");

        var session = await app.HttpAsync("CreateSession", "POST", "/api/sessions", JsonSerializer.Serialize(new { code }));
        var token = session.Json.GetProperty("token").GetString()!;
        await app.HttpAsync("SubmitSignUp", "POST", "/api/signups", People.SelfSignUp(PipelineHost.PlanYear, person), FunctionsAppHost.Bearer(token));
        await app.QueueAsync("ValidateSignUp", await app.TakeMessageAsync(QueueNames.SignUps));
        await app.QueueAsync("NotifyApplicant", await app.TakeMessageAsync(QueueNames.Notifications));
        // An ops call with the key in the URL, as a dashboard link carries it.
        await app.HttpAsync("GetTallies", "GET", $"/api/tallies?code={FunctionsAppHost.OpsKey}");

        var (spans, logs) = app.Exported();
        var exported = Text(spans, logs);

        // The calls out to WeChat were traced (so the scan below looks at their URLs), with the secrets taken out.
        var urls = spans.Select(s => s.GetTagItem("url.full") as string).OfType<string>().ToList();
        Assert.Contains(urls, u => u.Contains("/sns/jscode2session?", StringComparison.Ordinal) && u.Contains("secret=REDACTED", StringComparison.Ordinal) && u.Contains("js_code=REDACTED", StringComparison.Ordinal));
        Assert.Contains(urls, u => u.Contains("/cgi-bin/message/subscribe/send?access_token=REDACTED", StringComparison.Ordinal));
        Assert.NotEmpty(logs);

        var secrets = new Dictionary<string, string>
        {
            ["AppSecret"] = FunctionsAppHost.AppSecret,
            ["login code"] = code,
            ["access token"] = app.WeChat.CurrentToken!,
            ["ops key"] = FunctionsAppHost.OpsKey,
            ["session token"] = token,
            ["ID number"] = person.IdNumber,
            ["name"] = person.Name,
            ["mobile"] = person.Mobile,
        };
        foreach (var (what, secret) in secrets)
            Assert.False(exported.Contains(secret, StringComparison.Ordinal), $"the {what} was exported");
    }

    /// <summary>Every string an exporter would send: span names, tags, events, statuses; log bodies, messages, attributes, exceptions.</summary>
    private static string Text(IEnumerable<Activity> spans, IEnumerable<LogRecord> logs)
    {
        var text = new StringBuilder();
        foreach (var span in spans)
        {
            text.AppendLine(span.DisplayName).AppendLine(span.StatusDescription);
            foreach (var (key, value) in span.TagObjects)
                text.Append(key).Append('=').AppendLine(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
            foreach (var e in span.Events)
            {
                text.AppendLine(e.Name);
                foreach (var (key, value) in e.Tags)
                    text.Append(key).Append('=').AppendLine(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        foreach (var log in logs)
        {
            text.AppendLine(log.Body).AppendLine(log.FormattedMessage).AppendLine(log.Exception?.ToString());
            foreach (var (key, value) in log.Attributes ?? [])
                text.Append(key).Append('=').AppendLine(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }
}
