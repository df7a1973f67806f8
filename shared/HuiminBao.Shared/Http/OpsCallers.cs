using Microsoft.AspNetCore.Http;

namespace HuiminBao.Http;

/// <summary>Where the request policy leaves the ops caller it identified, for handlers that record who acted.</summary>
public static class OpsCallers
{
    private static readonly object Key = new();

    public static void SetOpsCaller(this HttpContext context, OpsCaller caller) => context.Items[Key] = caller;

    public static OpsCaller? GetOpsCaller(this HttpContext context) => context.Items.TryGetValue(Key, out var caller) ? caller as OpsCaller : null;
}
