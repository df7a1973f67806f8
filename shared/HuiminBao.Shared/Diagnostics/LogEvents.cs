namespace HuiminBao.Diagnostics;

/// <summary>
/// The one plan for <c>[LoggerMessage]</c> event ids, in both hosts: each area owns a block of 100
/// and numbers its events within it (<c>EventId = LogEvents.Intake + 10</c>), so an id in a log
/// query names its area, and ids never collide. A test checks both.
/// </summary>
public static class LogEvents
{
    /// <summary>Storage provisioning and the tables' group commit.</summary>
    public const int Storage = 100;

    /// <summary>Group sends to queues.</summary>
    public const int Queues = 200;

    /// <summary>HTTP request policy, in both hosts: problems, rate limits, ops keys.</summary>
    public const int Http = 900;

    /// <summary>Sign-up intake: validation, storing, queueing.</summary>
    public const int Intake = 1000;

    /// <summary>Mini-program sessions (<c>jscode2session</c>).</summary>
    public const int Sessions = 1100;

    /// <summary>The local host's queue listeners.</summary>
    public const int LocalQueues = 2000;

    /// <summary>The local host's timers.</summary>
    public const int LocalTimers = 2100;

    /// <summary>The <c>signups</c> stage: deciding each sign-up.</summary>
    public const int Enrollment = 3000;

    /// <summary>The enrollment ledger and its tally counters.</summary>
    public const int Ledger = 3100;

    /// <summary>Poisoned sign-ups and ops' reviews of them.</summary>
    public const int Reviews = 3200;

    /// <summary>Eligibility lookups: the roster and the 医保 service.</summary>
    public const int Eligibility = 3300;

    /// <summary>Roster uploads and imports.</summary>
    public const int Roster = 3500;

    /// <summary>The ops audit trail.</summary>
    public const int Audit = 4000;

    /// <summary>Pipeline health: counts, readings, alerts.</summary>
    public const int Health = 4100;

    /// <summary>Ops alerts, logged or coalesced for WeCom.</summary>
    public const int Alerts = 5000;

    /// <summary>The WeCom group robot.</summary>
    public const int WeCom = 5100;

    /// <summary>The daily report.</summary>
    public const int Reports = 6000;

    /// <summary>The <c>notifications</c> stage.</summary>
    public const int Notifications = 7000;

    /// <summary>The notification ledger (claims and answers).</summary>
    public const int NotificationLedger = 7100;

    /// <summary>WeChat server API: access tokens.</summary>
    public const int WeChat = 7200;

    /// <summary>Poisoned notifications.</summary>
    public const int NotificationReview = 7300;

    /// <summary>Personal data: erasure on request, retention purges, re-sealing after a key rotation.</summary>
    public const int Privacy = 8000;
}
