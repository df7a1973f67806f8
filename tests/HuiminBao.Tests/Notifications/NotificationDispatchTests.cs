using HuiminBao.Alerts;
using HuiminBao.SignUps;
using HuiminBao.StandIns;
using HuiminBao.Tests.Infrastructure;
using HuiminBao.WeChat;

namespace HuiminBao.Tests.Notifications;

/// <summary>The notification stage against Azurite and the loopback WeChat, its messages delivered by hand.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class NotificationDispatchTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task An_enrolled_signup_gets_exactly_one_message_with_its_fields_however_often_it_is_delivered()
    {
        await using var harness = await NotificationHarness.StartAsync(azurite);
        var (applicant, spouse) = (People.Next(), People.Next());
        var signUp = await harness.DecidedSignUpAsync("o-enrolled-household", (applicant, "self", true), (spouse, "spouse", true));
        Assert.Equal("pending", await harness.NotificationViewAsync(signUp));

        await harness.DispatchAsync(signUp.Message, NotificationHarness.Delivery(signUp.MessageId));
        // The same message again (a redelivery), and a duplicate message (validation redelivered).
        await harness.DispatchAsync(signUp.Message, NotificationHarness.Delivery(signUp.MessageId, dequeueCount: 2));
        await harness.DispatchAsync(signUp.Message, NotificationHarness.Delivery());

        var message = Assert.Single(harness.WeChat.AcceptedFor("o-enrolled-household"));
        Assert.Equal(WeChatStandIn.SignUpResultTemplateId, message.TemplateId);
        Assert.Equal($"pages/signup/status?id={signUp.SignUpId}", message.Page);
        Assert.Equal("developer", message.MiniProgramState);
        Assert.Equal("zh_CN", message.Lang);
        Assert.Equal("参保成功", message.Data["phrase1"]);
        Assert.Equal($"{applicant.Name[0]}{new string('*', applicant.Name.Length - 1)}、{spouse.Name[0]}{new string('*', spouse.Name.Length - 1)}", message.Data["thing2"]);
        Assert.Equal("2026", message.Data["character_string3"]);
        Assert.Equal("保障详情请在小程序内查看", message.Data["thing4"]);
        Assert.Equal(1, harness.WeChat.SendRequests);

        var record = await harness.RecordAsync(signUp.SignUpId);
        Assert.Equal(NotificationStates.Sent, record!.State);
        Assert.Equal(message.MsgId, record.MsgId);
        Assert.Equal("sent", await harness.NotificationViewAsync(signUp));
    }

    [Fact]
    public async Task A_partly_enrolled_household_hears_who_was_not_enrolled_and_why()
    {
        await using var harness = await NotificationHarness.StartAsync(azurite);
        var (applicant, child) = (People.Next(), People.Next());
        var signUp = await harness.DecidedSignUpAsync("o-partly", (applicant, "self", true), (child, "child", false));

        await harness.DispatchAsync(signUp.Message, NotificationHarness.Delivery(signUp.MessageId));

        var message = Assert.Single(harness.WeChat.AcceptedFor("o-partly"));
        Assert.Equal("部分成功", message.Data["phrase1"]);
        // The child is someone else: the message, like the status page, says only what to check.
        Assert.Equal($"{child.Name[0]}{new string('*', child.Name.Length - 1)}：请核对姓名和身份证号", message.Data["thing4"]);
    }

    [Fact]
    public async Task Killed_after_WeChat_accepted_and_the_outcome_was_stored_the_redelivery_sends_nothing()
    {
        await using var harness = await NotificationHarness.StartAsync(azurite);
        var signUp = await harness.DecidedSignUpAsync("o-killed-late", (People.Next(), "self", true));
        await harness.WarmTokenAsync();

        harness.Faults.CrashAfter(1); // the claim goes through; the process dies right after recording "sent"
        await Assert.ThrowsAsync<SimulatedCrashException>(() => harness.DispatchAsync(signUp.Message, NotificationHarness.Delivery(signUp.MessageId)));
        await harness.DispatchAsync(signUp.Message, NotificationHarness.Delivery(signUp.MessageId, dequeueCount: 2));

        Assert.Single(harness.WeChat.AcceptedFor("o-killed-late"));
        Assert.Equal(1, harness.WeChat.SendRequests);
        Assert.Equal("sent", await harness.NotificationViewAsync(signUp));
    }

    [Fact]
    public async Task Killed_after_WeChat_accepted_but_before_the_outcome_was_stored_the_redelivery_does_not_send_again()
    {
        await using var harness = await NotificationHarness.StartAsync(azurite);
        var signUp = await harness.DecidedSignUpAsync("o-killed-early", (People.Next(), "self", true));
        await harness.WarmTokenAsync();

        harness.Faults.FailBefore(1); // the claim goes through; the process dies before recording what WeChat said
        await Assert.ThrowsAsync<SimulatedCrashException>(() => harness.DispatchAsync(signUp.Message, NotificationHarness.Delivery(signUp.MessageId)));
        await harness.DispatchAsync(signUp.Message, NotificationHarness.Delivery(signUp.MessageId, dequeueCount: 2));
        await harness.DispatchAsync(signUp.Message, NotificationHarness.Delivery(signUp.MessageId, dequeueCount: 3));

        Assert.Single(harness.WeChat.AcceptedFor("o-killed-early"));
        Assert.Equal(NotificationStates.Unconfirmed, (await harness.RecordAsync(signUp.SignUpId))!.State);
        Assert.Equal("failed", await harness.NotificationViewAsync(signUp));
        Assert.Contains(harness.Host.Logs.Lines, l => l.Contains($"Notification of sign-up {signUp.SignUpId} unconfirmed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Killed_between_claim_and_send_the_notification_is_given_up_rather_than_risk_a_duplicate()
    {
        await using var harness = await NotificationHarness.StartAsync(azurite);
        var notification = NotificationHarness.Notification();
        await harness.WarmTokenAsync();

        harness.Faults.CrashAfter(0);
        await Assert.ThrowsAsync<SimulatedCrashException>(() => harness.DispatchAsync(notification, NotificationHarness.Delivery("m-1")));
        await harness.DispatchAsync(notification, NotificationHarness.Delivery("m-1", dequeueCount: 2));

        Assert.Empty(harness.WeChat.Accepted);
        Assert.Equal(NotificationStates.Unconfirmed, (await harness.RecordAsync(notification.SignUpId))!.State);
    }

    [Fact]
    public async Task Not_subscribed_is_recorded_skipped_and_never_retried()
    {
        await using var harness = await NotificationHarness.StartAsync(azurite);
        var signUp = await harness.DecidedSignUpAsync("o-no-subscription", (People.Next(), "self", true));
        harness.WeChat.Unsubscribe("o-no-subscription");

        await harness.DispatchAsync(signUp.Message, NotificationHarness.Delivery(signUp.MessageId));
        await harness.DispatchAsync(signUp.Message, NotificationHarness.Delivery(signUp.MessageId, dequeueCount: 2));

        Assert.Equal(1, harness.WeChat.SendRequests);
        var record = await harness.RecordAsync(signUp.SignUpId);
        Assert.Equal((NotificationStates.Skipped, WeChatErrors.UserRefused, "not subscribed"), (record!.State, record.ErrorCode, record.Reason));
        Assert.Equal("skipped", await harness.NotificationViewAsync(signUp));
        Assert.Empty(harness.Alerts.Raised);
    }

    [Fact]
    public async Task System_busy_is_retried_and_then_succeeds()
    {
        await using var harness = await NotificationHarness.StartAsync(azurite);
        var notification = NotificationHarness.Notification();
        harness.WeChat.FailNextSends(-1, -1);

        await harness.DispatchAsync(notification, NotificationHarness.Delivery());

        Assert.Equal(3, harness.WeChat.SendRequests);
        Assert.Single(harness.WeChat.Accepted);
        var record = await harness.RecordAsync(notification.SignUpId);
        Assert.Equal((NotificationStates.Sent, 1), (record!.State, record.Attempts));
    }

    [Fact]
    public async Task Busy_beyond_the_client_retries_releases_the_claim_so_the_queue_redelivery_sends()
    {
        await using var harness = await NotificationHarness.StartAsync(azurite);
        var notification = NotificationHarness.Notification();
        harness.WeChat.FailNextSends(-1, -1, -1, -1);

        var busy = await Assert.ThrowsAsync<WeChatException>(() => harness.DispatchAsync(notification, NotificationHarness.Delivery("m-busy")));
        Assert.Equal(WeChatErrors.SystemBusy, busy.ErrorCode);
        var released = await harness.RecordAsync(notification.SignUpId);
        Assert.Equal((NotificationStates.Retry, WeChatErrors.SystemBusy), (released!.State, released.ErrorCode));

        await harness.DispatchAsync(notification, NotificationHarness.Delivery("m-busy", dequeueCount: 2));

        Assert.Single(harness.WeChat.Accepted);
        var record = await harness.RecordAsync(notification.SignUpId);
        Assert.Equal((NotificationStates.Sent, 2), (record!.State, record.Attempts));
    }

    [Fact]
    public async Task Server_errors_and_timeouts_are_retried()
    {
        await using var harness = await NotificationHarness.StartAsync(azurite, new Dictionary<string, string?> { ["WeChat:Timeout"] = "00:00:00.500" });
        var notification = NotificationHarness.Notification();
        await harness.WarmTokenAsync();
        harness.WeChat.FailNextSends(SendFault.Status(503), SendFault.Stall(TimeSpan.FromSeconds(10)));

        await harness.DispatchAsync(notification, NotificationHarness.Delivery());

        Assert.Equal(3, harness.WeChat.SendRequests);
        Assert.Single(harness.WeChat.Accepted);
    }

    [Fact]
    public async Task A_refused_token_is_force_refreshed_once_and_the_send_succeeds()
    {
        await using var harness = await NotificationHarness.StartAsync(azurite);
        await harness.DispatchAsync(NotificationHarness.Notification(), NotificationHarness.Delivery());
        Assert.Equal(1, harness.WeChat.TokenRequests);

        harness.WeChat.InvalidateCurrentToken();
        await harness.DispatchAsync(NotificationHarness.Notification(), NotificationHarness.Delivery());
        await harness.DispatchAsync(NotificationHarness.Notification(), NotificationHarness.Delivery());

        Assert.Equal(3, harness.WeChat.Accepted.Count);
        Assert.Equal(2, harness.WeChat.TokenRequests);
        Assert.Equal(1, harness.WeChat.ForcedTokenRequests);
        Assert.Equal(4, harness.WeChat.SendRequests);
    }

    [Fact]
    public async Task An_expired_token_is_renewed_without_forcing()
    {
        await using var harness = await NotificationHarness.StartAsync(azurite);
        await harness.WarmTokenAsync();
        harness.WeChat.ExpireCurrentToken();

        await harness.DispatchAsync(NotificationHarness.Notification(), NotificationHarness.Delivery());

        Assert.Single(harness.WeChat.Accepted);
        Assert.Equal(2, harness.WeChat.TokenRequests);
        Assert.Equal(0, harness.WeChat.ForcedTokenRequests);
    }

    [Theory]
    [InlineData(WeChatErrors.InvalidOpenId, "invalid openid")]
    [InlineData(WeChatErrors.InvalidTemplateId, "invalid template_id")]
    [InlineData(WeChatErrors.TemplateParameterInvalid, "invalid template data")]
    [InlineData(WeChatErrors.InvalidPage, "invalid page")]
    public async Task Configuration_and_data_errors_fail_for_good_and_alert_ops(int errorCode, string reason)
    {
        await using var harness = await NotificationHarness.StartAsync(azurite);
        var notification = NotificationHarness.Notification();
        harness.WeChat.FailSendsTo(notification.OpenId, errorCode);

        await harness.DispatchAsync(notification, NotificationHarness.Delivery("m-bad"));
        await harness.DispatchAsync(notification, NotificationHarness.Delivery("m-bad", dequeueCount: 2));

        Assert.Equal(1, harness.WeChat.SendRequests);
        var record = await harness.RecordAsync(notification.SignUpId);
        Assert.Equal((NotificationStates.Failed, errorCode, reason), (record!.State, record.ErrorCode, record.Reason));
        var alert = Assert.Single(harness.Alerts.Raised);
        Assert.Equal(OpsAlertKinds.NotificationConfiguration, alert.Kind);
        Assert.Contains(errorCode.ToString(System.Globalization.CultureInfo.InvariantCulture), alert.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(notification.OpenId, alert.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_template_id_WeChat_does_not_know_is_refused_for_real_and_alerted()
    {
        await using var harness = await NotificationHarness.StartAsync(azurite, new Dictionary<string, string?> { ["Notifications:TemplateId"] = "TemplateNobodyCreated" });
        var notification = NotificationHarness.Notification();

        await harness.DispatchAsync(notification, NotificationHarness.Delivery());

        Assert.Empty(harness.WeChat.Accepted);
        Assert.Equal(WeChatErrors.InvalidTemplateId, (await harness.RecordAsync(notification.SignUpId))!.ErrorCode);
        Assert.Contains("Notifications:TemplateId", Assert.Single(harness.Alerts.Raised).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_app_secret_alerts_ops_and_claims_nothing()
    {
        await using var harness = await NotificationHarness.StartAsync(azurite);
        var notification = NotificationHarness.Notification();
        harness.WeChat.FailNextTokenRequests(40125);

        await Assert.ThrowsAsync<WeChatException>(() => harness.DispatchAsync(notification, NotificationHarness.Delivery()));

        Assert.Null(await harness.RecordAsync(notification.SignUpId));
        Assert.Contains("WeChat:AppSecret", Assert.Single(harness.Alerts.Raised).Text, StringComparison.Ordinal);
        await harness.DispatchAsync(notification, NotificationHarness.Delivery());
        Assert.Single(harness.WeChat.Accepted);
    }

    [Fact]
    public async Task Duplicate_messages_delivered_at_once_send_once()
    {
        await using var harness = await NotificationHarness.StartAsync(azurite);
        var notification = NotificationHarness.Notification();

        await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => harness.DispatchAsync(notification, NotificationHarness.Delivery())));

        Assert.Single(harness.WeChat.Accepted);
        Assert.Equal(1, harness.WeChat.SendRequests);
    }
}
