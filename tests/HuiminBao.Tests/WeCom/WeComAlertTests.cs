using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using HuiminBao.Alerts;
using HuiminBao.Domain;
using HuiminBao.Queues;
using HuiminBao.SignUps;
using HuiminBao.StandIns;
using HuiminBao.Storage;
using HuiminBao.Tests.Infrastructure;
using HuiminBao.WeCom;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace HuiminBao.Tests.WeCom;

/// <summary>Ops alerts and the robot client against a loopback WeCom robot that enforces WeCom's limits.</summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class WeComAlertTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Start = new(2026, 3, 6, 9, 0, 0, BeijingTime.Offset);

    [Fact]
    public async Task A_poison_signup_produces_one_WeCom_alert()
    {
        var clock = new FakeTimeProvider(Start);
        var robot = new WeComStandIn("poison-one", clock);
        await using var server = await LoopbackServer.StartAsync(robot.Map);
        var insurance = new InMemoryInsurance();
        await using var host = await PipelineHost.StartAsync(azurite, RobotSettings(robot, server), s => s.AddSingleton<TimeProvider>(clock), insurance: insurance);
        var person = People.Next();
        insurance.Add(host.Identity(person));
        insurance.MakeUnavailable(host.PersonKey(person));
        var token = await host.LoginAsync("o-poisoned");

        var signUpId = await host.SubmitAcceptedAsync(token, People.SelfSignUp(PipelineHost.PlanYear, person));
        await host.DecidedAsync(token, signUpId, TimeSpan.FromSeconds(60));
        await Eventually.TrueAsync(() => Task.FromResult(robot.Messages.Count >= 1), because: "the poison alert reached the robot");

        // Let any window close, then use another kind's alert as a barrier: once it has arrived,
        // anything still pending for the poison kind would have gone out in the same pass.
        clock.Advance(TimeSpan.FromMinutes(3));
        await host.Services.GetRequiredService<IOpsAlerts>().RaiseAsync(new OpsAlert(OpsAlertKinds.InsuranceCircuitOpen, "医保服务连续超时"), CancellationToken.None);
        await Eventually.TrueAsync(() => Task.FromResult(robot.Messages.Any(m => m.Content.Contains("医保服务熔断", StringComparison.Ordinal))));

        var poison = Assert.Single(robot.Messages, m => m.Content.Contains("投保申请转人工审核", StringComparison.Ordinal));
        Assert.Equal("markdown", poison.MsgType);
        Assert.Contains(signUpId, poison.Content, StringComparison.Ordinal);
        Assert.Contains("共 1 条", poison.Content, StringComparison.Ordinal);
        Assert.Empty(robot.Errors);
        Assert.DoesNotContain(person.IdNumber, poison.Content, StringComparison.Ordinal);
        Assert.DoesNotContain(person.Name, poison.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hundred_poison_messages_in_a_minute_are_coalesced_within_the_robot_limit()
    {
        var clock = new FakeTimeProvider(Start);
        var robot = new WeComStandIn("poison-burst", clock);
        await using var server = await LoopbackServer.StartAsync(robot.Map);
        await using var host = await PipelineHost.StartAsync(azurite, RobotSettings(robot, server), s => s.AddSingleton<TimeProvider>(clock), insurance: new InMemoryInsurance());
        var poisonQueue = host.Storage.Queue(QueueNames.SignUpsPoison);
        await poisonQueue.CreateIfNotExistsAsync();

        await Task.WhenAll(Enumerable.Range(0, 100).Select(i => poisonQueue.SendMessageAsync(BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(
            SignUpBatch.Of(new SignUpQueued($"burst{i:000}", "o-burst", PipelineHost.PlanYear, Start, [new QueuedPerson(new string('a', 64), "self", "张*")])),
            SignUpJson.Default.SignUpBatch)))));
        var reviews = host.Storage.Table(TableNames.Reviews);
        await Eventually.TrueAsync(async () => await CountAsync(reviews) == 100, TimeSpan.FromSeconds(60), "all 100 poison messages reviewed");

        // Still inside the same minute, the first alert has gone and the rest wait for the window.
        await Eventually.TrueAsync(() => Task.FromResult(robot.Messages.Count >= 1));
        for (var minute = 0; Alerted(robot) < 100; minute++)
        {
            Assert.True(minute < 5, $"all 100 alerts reach the robot within a few windows; {Alerted(robot)} so far");
            clock.Advance(TimeSpan.FromSeconds(61));
            await Eventually.TrueAsync(() => Task.FromResult(robot.Messages.Count > minute + 1 || Alerted(robot) == 100), TimeSpan.FromSeconds(10));
        }

        Assert.Equal(100, Alerted(robot));
        Assert.InRange(robot.Messages.Count, 2, 3);
        Assert.Empty(robot.Errors);
        Assert.All(robot.Messages, m => Assert.True(Encoding.UTF8.GetByteCount(m.Content) <= WeComMarkdown.MaxBytes));
        Assert.Contains(robot.Messages, m => Count(m) > 5 && m.Content.Contains("其余", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_robot_client_keeps_two_instances_within_20_messages_a_minute_and_retries_after_a_rate_limit_answer()
    {
        var clock = new FakeTimeProvider(Start);
        var robot = new WeComStandIn("two-instances", clock);
        await using var server = await LoopbackServer.StartAsync(robot.Map);
        var connection = azurite.NewAccount();
        var settings = RobotSettings(robot, server, listeners: false);
        await using var first = await PipelineHost.StartAsync(azurite, settings, s => s.AddSingleton<TimeProvider>(clock), connection, new InMemoryInsurance());
        await using var second = await PipelineHost.StartAsync(azurite, settings, s => s.AddSingleton<TimeProvider>(clock), connection, new InMemoryInsurance());
        var robots = new[] { first, second }.Select(h => h.Services.GetRequiredService<IOpsRobot>()).ToArray();
        Assert.All(robots, r => Assert.IsType<WeComRobot>(r));

        var deliveries = new List<RobotDelivery>();
        for (var i = 0; i < 25; i++)
            deliveries.Add(await robots[i % 2].SendMarkdownAsync($"消息 {i}", CancellationToken.None));

        Assert.Equal(20, deliveries.Count(d => d.Status == RobotDeliveryStatus.Sent));
        Assert.All(deliveries.Skip(20), d =>
        {
            Assert.Equal(RobotDeliveryStatus.RetryLater, d.Status);
            Assert.InRange(d.RetryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        });
        Assert.Equal(20, robot.Messages.Count);
        Assert.Empty(robot.Errors);

        clock.Advance(TimeSpan.FromMinutes(1));
        robot.FailNext(WeComErrors.SendTooFast);
        var tooFast = await robots[0].SendMarkdownAsync("被限流的消息", CancellationToken.None);
        Assert.Equal(RobotDeliveryStatus.RetryLater, tooFast.Status);
        Assert.Equal(WeComErrors.SendTooFast, tooFast.ErrCode);
        var retried = await robots[1].SendMarkdownAsync("被限流的消息", CancellationToken.None);
        Assert.Equal(RobotDeliveryStatus.Sent, retried.Status);

        var long4k = await robots[0].SendMarkdownAsync(string.Concat(Enumerable.Repeat("惠民保参保日报", 400)), CancellationToken.None);
        Assert.Equal(RobotDeliveryStatus.Sent, long4k.Status);
        Assert.InRange(Encoding.UTF8.GetByteCount(robot.Messages[^1].Content), 4000, WeComMarkdown.MaxBytes);
        Assert.EndsWith("（内容过长，已截断）", robot.Messages[^1].Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_webhook_key_is_rejected_not_retried()
    {
        var robot = new WeComStandIn("the-right-key");
        await using var server = await LoopbackServer.StartAsync(robot.Map);
        var settings = RobotSettings(robot, server, listeners: false);
        settings["WeCom:WebhookUrl"] = new Uri(server.BaseAddress, "cgi-bin/webhook/send?key=a-wrong-key").ToString();
        await using var host = await PipelineHost.StartAsync(azurite, settings, insurance: new InMemoryInsurance());

        var delivery = await host.Services.GetRequiredService<IOpsRobot>().SendMarkdownAsync("测试", CancellationToken.None);

        Assert.Equal(RobotDeliveryStatus.Rejected, delivery.Status);
        Assert.Equal(WeComErrors.InvalidWebhook, delivery.ErrCode);
        Assert.DoesNotContain(host.Logs.Lines, l => l.Contains("a-wrong-key", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_webhook_alerts_are_logged_only()
    {
        await using var host = await PipelineHost.StartAsync(azurite, PipelineHost.WithoutListeners, insurance: new InMemoryInsurance());

        Assert.IsType<LoggedOpsAlerts>(host.Services.GetRequiredService<IOpsAlerts>());
        Assert.IsType<LoggedOpsRobot>(host.Services.GetRequiredService<IOpsRobot>());
    }

    internal static Dictionary<string, string?> RobotSettings(WeComStandIn robot, LoopbackServer server, bool listeners = true)
    {
        var settings = new Dictionary<string, string?>
        {
            ["WeCom:WebhookUrl"] = robot.WebhookUrl(server.BaseAddress),
            ["DevHost:Timers"] = "false",
        };
        if (!listeners)
            settings["DevHost:QueueListeners"] = "false";
        return settings;
    }

    private static async Task<int> CountAsync(TableClient table)
    {
        var count = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(select: ["RowKey"]))
            count++;
        return count;
    }

    private static int Alerted(WeComStandIn robot) => robot.Messages.Where(m => m.Content.Contains("投保申请转人工审核", StringComparison.Ordinal)).Sum(Count);

    private static int Count(WeComReceived message) => int.Parse(AlertCount().Match(message.Content).Groups[1].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"共 (\d+) 条")]
    private static partial Regex AlertCount();
}
