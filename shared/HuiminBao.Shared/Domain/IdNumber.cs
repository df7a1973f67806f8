using System.Globalization;
using System.Text;

namespace HuiminBao.Domain;

/// <summary>A resident ID number (GB 11643-1999), normalised and checked.</summary>
public static class IdNumber
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    /// <summary>
    /// Full-width digits, a lowercase x and stray spaces come from phone keyboards and OCR;
    /// they are the same number, so they must hash to the same person key.
    /// </summary>
    public static string Normalize(string raw)
    {
        var text = raw.Normalize(NormalizationForm.FormKC);
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is ' ' or '\u3000')
                continue;
            builder.Append(c is 'x' ? 'X' : c);
        }
        return builder.ToString();
    }

    /// <summary>Checks a normalised ID number; returns null when valid, else the failing rule's code.</summary>
    public static string? Check(string normalized, DateOnly today)
    {
        if (normalized.Length == 15 && normalized.All(char.IsAsciiDigit))
            return ErrorCodes.IdNumberLegacy;
        if (normalized.Length != 18 || normalized.AsSpan(0, 17).ContainsAnyExceptInRange('0', '9')
            || !(char.IsAsciiDigit(normalized[17]) || normalized[17] == 'X'))
            return ErrorCodes.IdNumberFormat;
        if (!TryBirthDate(normalized, out var birth))
            return ErrorCodes.IdNumberBirthDate;
        if (birth > today)
            return ErrorCodes.IdNumberBirthDateFuture;
        if (CheckCharacter(normalized) != normalized[17])
            return ErrorCodes.IdNumberChecksum;
        return null;
    }

    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
            sum += (first17[i] - '0') * Weights[i];
        return CheckCharacters[sum % 11];
    }

    public static bool TryBirthDate(string normalized, out DateOnly birth) =>
        DateOnly.TryParseExact(normalized.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out birth)
        && birth.Year >= 1900;

    /// <summary>The masked form responses and logs may show: <c>410502********1234</c>.</summary>
    public static string Mask(string normalized) =>
        normalized.Length < 10 ? new string('*', normalized.Length) : string.Concat(normalized.AsSpan(0, 6), new string('*', normalized.Length - 10), normalized.AsSpan(normalized.Length - 4));
}
