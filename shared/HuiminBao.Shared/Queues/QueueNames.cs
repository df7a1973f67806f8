namespace HuiminBao.Queues;

/// <summary>
/// Queue names. The Functions triggers, the local host's listeners and the Bicep templates all use
/// these; tests check that they agree.
/// </summary>
public static class QueueNames
{
    public const string SignUps = "signups";
    public const string SignUpsPoison = "signups-poison";
    public const string Notifications = "notifications";
    public const string NotificationsPoison = "notifications-poison";
    public const string RosterImports = "roster-imports";
    public const string RosterImportsPoison = "roster-imports-poison";

    public static readonly IReadOnlyList<string> All = [SignUps, SignUpsPoison, Notifications, NotificationsPoison, RosterImports, RosterImportsPoison];

    public static string PoisonOf(string queue) => queue + "-poison";
}
