using System.ComponentModel.DataAnnotations;

namespace HuiminBao.Storage;

/// <summary><c>StorageLanes:*</c>: how many calls a process keeps in flight to each storage service, and how they take turns (<see cref="StorageLanes"/>).</summary>
public sealed class StorageLanesOptions
{
    public const string Section = "StorageLanes";

    /// <summary>Off: every call goes straight out, in no particular order.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Calls in flight per storage service. Enough to keep a service busy (Azurite answers one call
    /// per millisecond or so on one thread; Azure in about 5–10 ms, in parallel) and few enough that
    /// an intake call let in first waits behind little.
    /// </summary>
    [Range(1, 10000)]
    public int Capacity { get; set; } = 16;

    /// <summary>Calls in flight that other work always may have, even while intake's calls wait, so processing never stops.</summary>
    [Range(1, 10000)]
    public int Reserve { get; set; } = 2;
}
