namespace HuiminBao.Roster;

/// <summary>One roster row, checked and keyed: nothing in it is plaintext personal data.</summary>
/// <param name="Line">The physical line the row starts on, for reports.</param>
/// <param name="NameKey">The name bound to the ID (<see cref="Security.KeyedHashes.NameKey"/>), for the real-name check.</param>
public sealed record RosterRow(long Line, string PersonKey, string Scheme, string Status, string District, string AsOf, string NameKey);

/// <summary>A row that was skipped, with why (<see cref="RosterRowErrors"/>). Only the line number and the reason, never the row's content.</summary>
public sealed record RosterBadRow(long Line, string Reason);
