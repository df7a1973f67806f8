using HuiminBao.StandIns;
using HuiminBao.WeChat;
using Microsoft.Extensions.Options;

namespace HuiminBao.DevHost.StandIns;

/// <summary>
/// With <c>DevHost:StandIns=true</c> (the Development default) the local host also serves the loopback
/// stand-ins under <c>/standins/...</c>, so a developer without a WeChat app or network can log in
/// and sign up. Point <c>WeChat:BaseUrl</c> at <c>http://127.0.0.1:7071/standins/wechat</c>.
/// </summary>
public static class LocalStandIns
{
    public const string Setting = "DevHost:StandIns";

    public static IHostApplicationBuilder AddStandIns(this IHostApplicationBuilder builder)
    {
        if (!builder.Configuration.GetValue<bool>(Setting))
            return builder;
        builder.Services.AddSingleton(sp =>
        {
            var weChat = sp.GetRequiredService<IOptions<WeChatOptions>>().Value;
            return new WeChatStandIn(weChat.AppId, weChat.AppSecret, permissive: true);
        });
        return builder;
    }

    public static WebApplication MapStandIns(this WebApplication app)
    {
        if (app.Configuration.GetValue<bool>(Setting))
            app.Services.GetRequiredService<WeChatStandIn>().Map(app.MapGroup("/standins/wechat"));
        return app;
    }
}
