using System.ComponentModel.DataAnnotations;

namespace HuiminBao.Http;

/// <summary>Request limits on the mini-program's routes (<c>RateLimits:*</c>), the same in both hosts.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";
    public const string ClientAddressHeaderSetting = "Gateway:ClientAddressHeader";

    /// <summary>Generous: on launch day many users share a carrier NAT address.</summary>
    [Range(1, int.MaxValue)]
    public int PerClientPerMinute { get; set; } = 1200;

    /// <summary>A person signs up a household once or twice and polls its status.</summary>
    [Range(1, int.MaxValue)]
    public int PerOpenIdPerMinute { get; set; } = 60;

    /// <summary>Logins per client address: each one spends a <c>jscode2session</c> call of the app's WeChat quota.</summary>
    [Range(1, int.MaxValue)]
    public int SessionsPerClientPerMinute { get; set; } = 300;

    /// <summary>
    /// Requests of one key an instance admits in a minute before it counts that key across instances
    /// too. Ordinary users never get there, so they cost no storage call; a client busy enough to
    /// approach a limit is counted in the shared table from then on.
    /// </summary>
    [Range(0, 1000)]
    public int SharedAfter { get; set; } = 4;

    /// <summary>How often an instance brings a busy key's shared count up to date; in between it adds its own count to the last one seen.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:10")]
    public TimeSpan SharedSyncInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// When API Management fronts the app (infra parameter <c>gateway</c>), the header it sets to the
    /// caller's address (<see cref="ClientAddressHeaderSetting"/>; API Management overwrites whatever
    /// a client sent in it). Unset means the connection's address, which in the Functions worker is
    /// the last <c>X-Forwarded-For</c> hop, the one the platform's front end added.
    /// </summary>
    public string? ClientAddressHeader { get; set; }
}
