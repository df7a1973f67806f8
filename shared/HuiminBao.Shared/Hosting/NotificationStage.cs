using HuiminBao.Alerts;
using HuiminBao.Notifications;
using HuiminBao.WeChat;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace HuiminBao.Hosting;

/// <summary>The <c>notifications</c> stage and its WeChat clients, shared by both hosts. Needs <c>AddWeChat</c>, <c>AddSecurity</c> and <c>AddStorage</c>.</summary>
public static class NotificationStage
{
    public static IHostApplicationBuilder AddNotifications(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHttpClient(WeChatAccessTokens.HttpClientName);
        builder.Services.AddHttpClient<WeChatSubscribeMessages>();
        // One per process: the in-memory token and the lock that keeps one refresh in flight live here.
        builder.Services.TryAddSingleton<WeChatAccessTokens>();
        builder.Services.TryAddSingleton<NotificationContent>();
        builder.Services.TryAddSingleton<NotificationLedger>();
        builder.Services.TryAddSingleton<IOpsAlerts, LoggedOpsAlerts>();
        builder.AddProcessingGate();
        builder.Services.TryAddScoped<NotificationDispatch>();
        builder.Services.TryAddScoped<NotificationPoisonReview>();
        return builder;
    }
}
