namespace HuiminBao.Roster;

/// <summary>
/// The <c>roster-imports</c> queue message: "work on this import". It names the import only; the
/// file, its sealed blob and the checkpoint are in the import's record, so any number of these
/// messages for the same import are harmless.
/// </summary>
public sealed record RosterImportQueued(string ImportId);
