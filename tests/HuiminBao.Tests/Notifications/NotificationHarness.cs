using System.Security.Cryptography;
using HuiminBao.Alerts;
using HuiminBao.Enrollment;
using HuiminBao.Notifications;
using HuiminBao.Queues;
using HuiminBao.SignUps;
using HuiminBao.StandIns;
using HuiminBao.Storage;
using HuiminBao.Tests.Infrastructure;
using HuiminBao.WeChat;
using Microsoft.Extensions.DependencyInjection;

namespace HuiminBao.Tests.Notifications;

/// <summary>
/// The local host with its listeners off, so a test delivers notification messages by hand (and
/// again, as a redelivery would), with ops alerts recorded and storage faults it can arm.
/// </summary>
public sealed class NotificationHarness : IAsyncDisposable
{
    private NotificationHarness(PipelineHost host, RecordedOpsAlerts alerts, StorageFaults faults, InMemoryInsurance insurance)
    {
        Host = host;
        Alerts = alerts;
        Faults = faults;
        Insurance = insurance;
    }

    public PipelineHost Host { get; }

    public RecordedOpsAlerts Alerts { get; }

    public StorageFaults Faults { get; }

    public InMemoryInsurance Insurance { get; }

    public WeChatStandIn WeChat => Host.WeChat;

    public static async Task<NotificationHarness> StartAsync(AzuriteFixture azurite, IDictionary<string, string?>? settings = null, string? connectionString = null, bool listeners = false)
    {
        var alerts = new RecordedOpsAlerts();
        var faults = new StorageFaults();
        var insurance = new InMemoryInsurance();
        var values = listeners ? new Dictionary<string, string?>() : PipelineHost.WithoutListeners;
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            values[key] = value;
        var host = await PipelineHost.StartAsync(azurite, values, services =>
        {
            services.AddSingleton<IOpsAlerts>(alerts);
            services.AddSingleton(new StoragePipelinePolicy(faults));
        }, connectionString, insurance);
        return new NotificationHarness(host, alerts, faults, insurance);
    }

    /// <summary>A decided sign-up's notification, as the validation stage would queue it (no sign-up record behind it).</summary>
    public static NotificationQueued Notification(string? openId = null, string status = "enrolled", params NotifiedPerson[] persons) =>
        new(NewId(), openId ?? "o" + NewId()[..20], PipelineHost.PlanYear, status,
            persons.Length > 0 ? persons : [new NotifiedPerson("张*", "self", "enrolled", null)]);

    public static QueueDelivery Delivery(string? messageId = null, long dequeueCount = 1) =>
        new(messageId ?? Guid.NewGuid().ToString(), dequeueCount, DateTimeOffset.UtcNow);

    public async Task DispatchAsync(NotificationQueued message, QueueDelivery delivery)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<NotificationDispatch>().HandleAsync(NotificationBatch.Of(message), delivery, CancellationToken.None);
    }

    public async Task PoisonAsync(NotificationQueued message)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<NotificationPoisonReview>().HandleAsync(NotificationBatch.Of(message), Delivery(), CancellationToken.None);
    }

    /// <summary>Fetches (and stores) the access token now, so a test's write counting starts at the claim.</summary>
    public async Task WarmTokenAsync() => await Host.Services.GetRequiredService<WeChatAccessTokens>().GetAsync(CancellationToken.None);

    public Task<NotificationRecord?> RecordAsync(string signUpId) =>
        Host.Services.GetRequiredService<NotificationLedger>().ReadAsync(signUpId, CancellationToken.None);

    /// <summary>
    /// A real sign-up through intake and the validation stage (run by hand), returning the notification
    /// message validation queued and its queue message id.
    /// </summary>
    public async Task<DecidedSignUp> DecidedSignUpAsync(string openId, params (Person Person, string Relation, bool Insured)[] household)
    {
        foreach (var (person, _, insured) in household)
        {
            if (insured)
                Insurance.Add(Host.Identity(person));
        }
        var token = await Host.LoginAsync(openId);
        var signUpId = await Host.SubmitAcceptedAsync(token, People.SignUpJson(PipelineHost.PlanYear, household[0].Person, [.. household.Select(h => (h.Person, h.Relation))]));

        var signUps = Host.Storage.Queue(QueueNames.SignUps);
        var queued = (await signUps.ReceiveMessageAsync()).Value;
        await using (var scope = Host.Services.CreateAsyncScope())
        {
            var validation = scope.ServiceProvider.GetRequiredService<SignUpValidation>();
            await validation.HandleAsync(queued.Body.ToObjectFromJson(SignUpJson.Default.SignUpBatch)!, Delivery(queued.MessageId), CancellationToken.None);
        }
        await signUps.DeleteMessageAsync(queued.MessageId, queued.PopReceipt);

        var notification = (await Host.Storage.Queue(QueueNames.Notifications).ReceiveMessageAsync()).Value;
        return new DecidedSignUp(token, signUpId, Assert.Single(notification.Body.ToObjectFromJson(NotificationJson.Default.NotificationBatch)!.Notifications), notification.MessageId);
    }

    public async Task<string?> NotificationViewAsync(DecidedSignUp signUp) =>
        (await Host.SignUpStatusAsync(signUp.Token, signUp.SignUpId)).GetProperty("notification").GetString();

    private static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();
}

public sealed record DecidedSignUp(string Token, string SignUpId, NotificationQueued Message, string MessageId);
