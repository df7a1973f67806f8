using System.Diagnostics;
using HuiminBao.Alerts;
using HuiminBao.Notifications;
using HuiminBao.Queues;
using HuiminBao.SignUps;
using HuiminBao.Tests.Infrastructure;
using HuiminBao.WeChat;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HuiminBao.Tests.Notifications;

/// <summary>The notification stage over time: quota waits, poison, the running pipeline, and token reuse at volume.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class NotificationLifecycleTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Reaching_the_daily_quota_puts_the_notification_off_and_a_later_copy_sends_it()
    {
        await using var harness = await NotificationHarness.StartAsync(azurite, new Dictionary<string, string?> { ["Notifications:QuotaRetryDelay"] = "00:00:01" });
        var notification = NotificationHarness.Notification();
        harness.WeChat.FailNextSends(WeChatErrors.QuotaReached);
        var clock = Stopwatch.StartNew();

        await harness.DispatchAsync(notification, NotificationHarness.Delivery("m-quota"));

        var waiting = await harness.RecordAsync(notification.SignUpId);
        Assert.Equal((NotificationStates.Retry, WeChatErrors.QuotaReached, 1), (waiting!.State, waiting.ErrorCode, waiting.QuotaDeferrals));
        Assert.Contains("45009", Assert.Single(harness.Alerts.Raised).Text, StringComparison.Ordinal);
        var queue = harness.Host.Storage.Queue(QueueNames.Notifications);
        var copy = await Eventually.ReturnsAsync(async () => (await queue.ReceiveMessageAsync()).Value, m => m is not null, because: "the deferred copy becomes visible");
        // Jittered to 0.9..1.1 of the delay; a slow machine only makes this later, never earlier.
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.85), $"the copy was visible after {clock.Elapsed}");
        await harness.DispatchAsync(Assert.Single(copy.Body.ToObjectFromJson(NotificationJson.Default.NotificationBatch)!.Notifications), NotificationHarness.Delivery(copy.MessageId));

        Assert.Single(harness.WeChat.Accepted);
        var record = await harness.RecordAsync(notification.SignUpId);
        Assert.Equal((NotificationStates.Sent, 2), (record!.State, record.Attempts));
    }

    [Fact]
    public async Task A_notification_put_off_too_often_is_given_up_and_alerted()
    {
        await using var harness = await NotificationHarness.StartAsync(azurite, new Dictionary<string, string?> { ["Notifications:MaxQuotaDeferrals"] = "1" });
        var notification = NotificationHarness.Notification();
        harness.WeChat.FailNextSends(WeChatErrors.QuotaReached, WeChatErrors.QuotaReached);

        await harness.DispatchAsync(notification, NotificationHarness.Delivery());
        await harness.DispatchAsync(notification, NotificationHarness.Delivery());

        Assert.Equal(NotificationStates.Failed, (await harness.RecordAsync(notification.SignUpId))!.State);
        Assert.Equal(2, harness.Alerts.Raised.Count);
    }

    [Fact]
    public async Task A_poisoned_notification_is_recorded_failed_and_alerted_unless_it_had_been_sent()
    {
        await using var harness = await NotificationHarness.StartAsync(azurite);
        var busy = NotificationHarness.Notification();
        harness.WeChat.FailNextSends(-1, -1, -1, -1);
        await Assert.ThrowsAsync<WeChatException>(() => harness.DispatchAsync(busy, NotificationHarness.Delivery()));
        var sent = NotificationHarness.Notification();
        await harness.DispatchAsync(sent, NotificationHarness.Delivery());
        var neverTried = NotificationHarness.Notification();

        await harness.PoisonAsync(busy);
        await harness.PoisonAsync(sent);
        await harness.PoisonAsync(neverTried);

        Assert.Equal(NotificationStates.Failed, (await harness.RecordAsync(busy.SignUpId))!.State);
        Assert.Equal(NotificationStates.Sent, (await harness.RecordAsync(sent.SignUpId))!.State);
        Assert.Equal(NotificationStates.Failed, (await harness.RecordAsync(neverTried.SignUpId))!.State);
        Assert.Equal(2, harness.Alerts.Raised.Count(a => a.Kind == OpsAlertKinds.NotificationConfiguration));
    }

    [Fact]
    public async Task The_running_pipeline_notifies_an_enrolled_applicant_once_and_keeps_the_token_out_of_the_logs()
    {
        // Turned up from the Warning appsettings.json sets, so a request URI logged with its query would show.
        await using var harness = await NotificationHarness.StartAsync(azurite, new Dictionary<string, string?> { ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Trace" }, listeners: true);
        var person = People.Next();
        harness.Insurance.Add(harness.Host.Identity(person));
        var token = await harness.Host.LoginAsync("o-pipeline");

        var signUpId = await harness.Host.SubmitAcceptedAsync(token, People.SelfSignUp(PipelineHost.PlanYear, person));
        var view = await Eventually.ReturnsAsync(() => harness.Host.SignUpStatusAsync(token, signUpId), v => v.GetProperty("notification").GetString() == "sent", because: "the notification is sent");

        Assert.Equal("enrolled", view.GetProperty("status").GetString());
        var message = Assert.Single(harness.WeChat.AcceptedFor("o-pipeline"));
        Assert.Equal("参保成功", message.Data["phrase1"]);
        var accessToken = harness.WeChat.CurrentToken!;
        // HttpClient logs each request URI at this level; the token rides in its query string.
        Assert.Contains(harness.Host.Logs.Lines, l => l.Contains("/cgi-bin/message/subscribe/send", StringComparison.Ordinal));
        Assert.DoesNotContain(harness.Host.Logs.Lines, l => l.Contains(accessToken, StringComparison.Ordinal));
        Assert.DoesNotContain(harness.Host.Logs.Lines, l => l.Contains("o-pipeline", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_notification_WeChat_keeps_refusing_ends_in_poison_as_failed()
    {
        await using var harness = await NotificationHarness.StartAsync(azurite, listeners: true);
        var person = People.Next();
        harness.Insurance.Add(harness.Host.Identity(person));
        var token = await harness.Host.LoginAsync("o-rate-limited");
        harness.WeChat.FailSendsTo("o-rate-limited", [.. Enumerable.Repeat(WeChatErrors.FrequencyLimit, 10)]);

        var signUpId = await harness.Host.SubmitAcceptedAsync(token, People.SelfSignUp(PipelineHost.PlanYear, person));
        await Eventually.ReturnsAsync(() => harness.Host.SignUpStatusAsync(token, signUpId), v => v.GetProperty("notification").GetString() == "failed", TimeSpan.FromSeconds(60), "the notification is poisoned");

        Assert.Empty(harness.WeChat.Accepted);
        Assert.Equal(5, harness.WeChat.SendRequests);
        Assert.Contains(harness.Alerts.Raised, a => a.Text.Contains(signUpId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_thousand_notifications_need_one_token_request()
    {
        await using var harness = await NotificationHarness.StartAsync(azurite);
        var notifications = Enumerable.Range(0, 1000).Select(_ => NotificationHarness.Notification()).ToList();

        await Parallel.ForEachAsync(notifications, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (notification, _) => await harness.DispatchAsync(notification, NotificationHarness.Delivery()));

        Assert.Equal(1000, harness.WeChat.Accepted.Count);
        Assert.Equal(1000, harness.WeChat.Accepted.Select(m => m.ToUser).Distinct().Count());
        Assert.Equal(1, harness.WeChat.TokenRequests);
    }

    [Fact]
    public async Task A_second_instance_uses_the_stored_token_instead_of_asking_WeChat()
    {
        var connection = azurite.NewAccount();
        await using var first = await NotificationHarness.StartAsync(azurite, connectionString: connection);
        var weChatUrl = first.Host.Services.GetRequiredService<IOptions<WeChatOptions>>().Value.BaseUrl;
        await using var second = await NotificationHarness.StartAsync(azurite, new Dictionary<string, string?> { ["WeChat:BaseUrl"] = weChatUrl }, connection);

        await first.DispatchAsync(NotificationHarness.Notification(), NotificationHarness.Delivery());
        await Parallel.ForEachAsync(Enumerable.Range(0, 100), new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (i, _) => await (i % 2 == 0 ? first : second).DispatchAsync(NotificationHarness.Notification(), NotificationHarness.Delivery()));

        Assert.Equal(101, first.WeChat.Accepted.Count);
        Assert.Equal(1, first.WeChat.TokenRequests);
        Assert.Equal(0, second.WeChat.SendRequests);
    }
}
