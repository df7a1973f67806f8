using HuiminBao.Domain;
using HuiminBao.Security;

namespace HuiminBao.Roster;

/// <summary>
/// Turns one CSV record into a keyed <see cref="RosterRow"/> or a <see cref="RosterBadRow"/>. A row
/// is taken whole or not at all: any field that fails its rule, or any undecodable character, skips
/// it. The ID number and name are hashed here and go no further.
/// </summary>
public sealed class RosterRowParser(KeyedHashes hashes, RosterColumns columns, string asOf, DateOnly today)
{
    /// <returns>The row, or null with <paramref name="bad"/> saying why.</returns>
    public RosterRow? Parse(IReadOnlyList<string> fields, long line, bool malformed, out RosterBadRow? bad)
    {
        var error = Validate(fields, malformed, out var idNumber, out var scheme, out var status, out var district);
        if (error is not null)
        {
            bad = new RosterBadRow(line, error);
            return null;
        }
        bad = null;
        return new RosterRow(line, hashes.PersonKey(idNumber), scheme, status, district, asOf, hashes.NameKey(idNumber, fields[columns.Name]));
    }

    /// <summary>The same rules as <see cref="Parse"/>, without hashing: for listing bad rows a resumed run skips.</summary>
    public RosterBadRow? Check(IReadOnlyList<string> fields, long line, bool malformed) =>
        Validate(fields, malformed, out _, out _, out _, out _) is { } error ? new RosterBadRow(line, error) : null;

    private string? Validate(IReadOnlyList<string> fields, bool malformed, out string idNumber, out string scheme, out string status, out string district)
    {
        idNumber = scheme = status = district = "";
        if (Shape(fields, malformed) is { } shapeError)
            return shapeError;
        idNumber = IdNumber.Normalize(IdField(fields[columns.IdNumber]));
        if ((idNumber.Length == 0 ? RosterRowErrors.IdNumberMissing : IdNumber.Check(idNumber, today)) is { } idError)
            return idError;
        // Without a name nobody could enroll this person: the name check would have nothing to compare with.
        if (PersonName.ComparisonForm(fields[columns.Name]).Length == 0)
            return RosterRowErrors.NameMissing;
        if (InsuranceTerms.Scheme(fields[columns.Scheme]) is not { } knownScheme)
            return RosterRowErrors.UnknownScheme;
        scheme = knownScheme;
        if (InsuranceTerms.State(fields[columns.Status]) is not { } knownStatus)
            return RosterRowErrors.UnknownStatus;
        status = knownStatus;
        district = fields[columns.District].Trim();
        return InsuranceTerms.IsDistrictCode(district) ? null : RosterRowErrors.DistrictInvalid;
    }

    private string? Shape(IReadOnlyList<string> fields, bool malformed)
    {
        if (malformed)
            return RosterRowErrors.Malformed;
        if (fields.Count < columns.Needed)
            return RosterRowErrors.ColumnCount;
        for (var i = columns.HeaderWidth; i < fields.Count; i++)
        {
            if (!string.IsNullOrWhiteSpace(fields[i]))
                return RosterRowErrors.ColumnCount;
        }
        foreach (var field in fields)
        {
            if (field.Contains('\uFFFD', StringComparison.Ordinal))
                return RosterRowErrors.Encoding;
        }
        return null;
    }

    /// <summary>
    /// Excel turns an 18-digit number into 4.10502E+17, so exports guard ID numbers as text with a
    /// leading apostrophe or tab, or as the formula <c>="..."</c>; all of these are the number itself.
    /// </summary>
    private static string IdField(string raw)
    {
        var text = raw.Trim();
        if (text.StartsWith("=\"", StringComparison.Ordinal) && text.EndsWith('"') && text.Length >= 3)
            return text[2..^1];
        return text.TrimStart('\'');
    }
}
