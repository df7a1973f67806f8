using System.Net;
using System.Net.Http.Headers;
using Azure.Storage.Queues.Models;
using HuiminBao.DevHost.Azurite;
using HuiminBao.Notifications;
using HuiminBao.Queues;
using HuiminBao.Reviews;
using HuiminBao.SignUps;
using HuiminBao.Tests.Infrastructure;
using HuiminBao.Tests.Notifications;
using HuiminBao.WeChat;
using Microsoft.Extensions.DependencyInjection;

namespace HuiminBao.Tests.Privacy;

/// <summary>No queue message lives for ever: each sender sets <see cref="QueueRetention.MessageTimeToLive"/>, poison copies included.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class QueueRetentionTests(AzuriteFixture azurite)
{
    private const int PlanYear = PipelineHost.PlanYear;

    [Fact]
    public async Task Sign_ups_requeues_roster_imports_and_quota_deferrals_are_all_sent_with_a_seven_day_lifetime()
    {
        await using var harness = await NotificationHarness.StartAsync(azurite, new Dictionary<string, string?> { ["Notifications:QuotaRetryDelay"] = "00:00:01" });
        var host = harness.Host;
        var token = await host.LoginAsync("o-ttl");

        // Intake's group send, then ops' requeue of the same sign-up after a review.
        var signUpId = await host.SubmitAcceptedAsync(token, People.SelfSignUp(PlanYear, People.Next()));
        var queued = (await host.Storage.Queue(QueueNames.SignUps).PeekMessagesAsync(1)).Value.Single();
        await using (var scope = host.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<SignUpPoisonReview>().HandleAsync(queued.Body.ToObjectFromJson(SignUpJson.Default.SignUpBatch)!, new QueueDelivery("p-1", 1, null), CancellationToken.None);
        using (var requeued = await host.OpsAsync(HttpMethod.Post, $"/api/ops/reviews/{signUpId}/requeue"))
            Assert.Equal(HttpStatusCode.Accepted, requeued.StatusCode);

        // A roster upload's import message.
        var row = People.Next();
        using var upload = new HttpRequestMessage(HttpMethod.Post, "/api/ops/roster-imports") { Content = new StringContent($"身份证号,姓名,险种,行政区划,参保状态\n{row.IdNumber},{row.Name},职工,410502,正常\n") };
        upload.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("text/csv");
        upload.Headers.Add("x-functions-key", PipelineHost.OpsKey);
        using (var uploaded = await host.Client.SendAsync(upload))
            Assert.Equal(HttpStatusCode.Accepted, uploaded.StatusCode);

        // The copy of a notification put off for WeChat's daily quota.
        harness.WeChat.FailNextSends(WeChatErrors.QuotaReached);
        await using (var scope = host.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<NotificationDispatch>().HandleAsync(NotificationBatch.Of(NotificationHarness.Notification()), NotificationHarness.Delivery(), CancellationToken.None);

        var signUps = (await host.Storage.Queue(QueueNames.SignUps).PeekMessagesAsync(32)).Value;
        var imports = (await host.Storage.Queue(QueueNames.RosterImports).PeekMessagesAsync(32)).Value;
        var deferred = await Eventually.ReturnsAsync(async () => (await host.Storage.Queue(QueueNames.Notifications).PeekMessagesAsync(32)).Value, m => m.Length == 1, TimeSpan.FromSeconds(10), "the deferred notification visible again");

        Assert.Equal(2, signUps.Length);
        Assert.Single(imports);
        Assert.All(signUps.Concat(imports).Concat(deferred), AssertSevenDays);
    }

    [Fact]
    public async Task The_local_hosts_poison_copy_expires_like_the_functions_hosts()
    {
        await using var host = await PipelineHost.StartAsync(azurite);
        // Not JSON for its handler: it fails every delivery and is moved to roster-imports-poison, which nobody consumes.
        await host.Storage.Queue(QueueNames.RosterImports).SendMessageAsync("not a roster import");

        var poisoned = await Eventually.ReturnsAsync(async () => (await host.Storage.Queue(QueueNames.PoisonOf(QueueNames.RosterImports)).PeekMessagesAsync(32)).Value, m => m.Length == 1, TimeSpan.FromSeconds(30), "the message poisoned");

        AssertSevenDays(poisoned.Single());
    }

    [Fact]
    public void No_code_sends_a_queue_message_that_never_expires()
    {
        var root = RepositoryRoot.Find();
        var offenders = new[] { "shared", "functions" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories))
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(file => File.ReadAllText(file).Contains("FromSeconds(-1)", StringComparison.Ordinal))
            .Select(file => Path.GetRelativePath(root, file))
            .ToList();

        Assert.Empty(offenders);
    }

    private static void AssertSevenDays(PeekedMessage message)
    {
        Assert.NotNull(message.InsertedOn);
        var lifetime = message.ExpiresOn!.Value - message.InsertedOn!.Value;
        Assert.InRange(lifetime, QueueRetention.MessageTimeToLive - TimeSpan.FromMinutes(1), QueueRetention.MessageTimeToLive + TimeSpan.FromMinutes(1));
    }
}
