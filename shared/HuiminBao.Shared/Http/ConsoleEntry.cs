using System.Net;
using System.Text;
using HuiminBao.Dashboard;
using Microsoft.AspNetCore.Http;

namespace HuiminBao.Http;

/// <summary>
/// <c>GET /api/dashboard?code=KEY</c>: the one request of the ops console that carries the key.
/// It trades the key for the console cookie and sends the browser on to <c>/api/console/</c> with a
/// page of its own rather than a redirect: a cookie set on a cross-site navigation (a link clicked in
/// WeCom or a mail) is SameSite=Strict and so not sent on that navigation's redirect, but is sent on
/// the next navigation the page itself starts. The key then leaves the address bar.
/// </summary>
public static class ConsoleEntry
{
    private static readonly StaticAsset Page = new(
        "text/html; charset=utf-8",
        Encoding.UTF8.GetBytes("""
            <!doctype html>
            <html lang="zh-CN">
            <head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><meta http-equiv="refresh" content="0; url=/api/console/"><title>正在打开看板</title></head>
            <body><p>正在打开看板… <a href="/api/console/">如未自动跳转，请点击这里</a></p></body>
            </html>
            """),
        "",
        "no-store",
        "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");

    public static IResult Open(HttpContext context, OpsConsoleSessions sessions)
    {
        var caller = context.GetOpsCaller() ?? throw new InvalidOperationException("The console is opened only for a caller the request policy identified.");
        sessions.Issue(context.Response, caller, secure: context.Request.IsHttps || !IsLoopback(context.Request.Host.Host));
        return new AssetResult(Page, null);
    }

    /// <summary>Plain http is only for the local host on loopback; anywhere else the cookie is Secure.</summary>
    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
}
