namespace HuiminBao.Hosting;

/// <summary>
/// Every app setting the Functions app reads, under its configuration name (<c>:</c>; Azure app
/// settings spell it <c>__</c>). The Bicep templates must set each of these; a test compares them
/// with the compiled ARM template. Add a setting here when code starts reading it.
/// </summary>
public static class AppSettings
{
    public static readonly IReadOnlyList<string> Required =
    [
        "WeChat:BaseUrl",
        "WeChat:AppId",
        "WeChat:AppSecret",
        "Notifications:TemplateId",
        "Notifications:Page",
        "Notifications:Fields:Outcome",
        "Notifications:Fields:Insured",
        "Notifications:Fields:PlanYear",
        "Notifications:Fields:Remark",
        "WeCom:WebhookUrl",
        "Security:IdHashKey",
        "Security:DataKey",
        "Security:SessionKey",
        "Security:RetiredDataKeys",
        "Security:RetiredSessionKeys",
        "Privacy:ConsentVersions",
        "Retention:PurgeAfter",
        "Retention:Schedule",
        "Gateway:ClientAddressHeader",
        "Enrollment:PlanYear",
        "Enrollment:OpensAt",
        "Enrollment:ClosesAt",
        "DailyReport:Schedule",
        "Health:WatchSchedule",
        "SignUpSweep:Schedule",
        "Insurance:Mode",
        "Insurance:BaseUrl",
        "Insurance:ApiKey",
        "Insurance:ApiKeyHeader",
        "Ops:Keys",
    ];

    /// <summary>Secrets: set in Azure as Key Vault references, never as plain values.</summary>
    public static readonly IReadOnlyList<string> Secrets =
    [
        "WeChat:AppSecret",
        // The webhook URL carries the robot's key: anyone holding it can post to the ops group.
        "WeCom:WebhookUrl",
        "Security:IdHashKey",
        "Security:DataKey",
        "Security:SessionKey",
        // Earlier keys stay secret after a rotation: they still decrypt stored data / verify live tokens.
        "Security:RetiredDataKeys",
        "Security:RetiredSessionKeys",
        // The credential the 医保 service expects in a header.
        "Insurance:ApiKey",
        // Each ops person's or tool's key, by name: the app attributes every ops action from these.
        "Ops:Keys",
    ];

    /// <summary>Identity-based storage connection (no shared key), as the Functions host reads it.</summary>
    public static readonly IReadOnlyList<string> IdentityStorage =
    [
        "AzureWebJobsStorage:blobServiceUri",
        "AzureWebJobsStorage:queueServiceUri",
        "AzureWebJobsStorage:tableServiceUri",
        "AzureWebJobsStorage:credential",
        "AzureWebJobsStorage:clientId",
    ];
}
