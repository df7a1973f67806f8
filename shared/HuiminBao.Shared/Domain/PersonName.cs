using System.Globalization;
using System.Text;

namespace HuiminBao.Domain;

/// <summary>A person's name as written on the ID card.</summary>
public static class PersonName
{
    public const int MaxLength = 30;

    /// <summary>Only plain and ideographic spaces are trimmed; a line break or control character anywhere makes the name invalid.</summary>
    public static string Normalize(string raw) => raw.Normalize(NormalizationForm.FormC).Trim(' ', '\u3000');

    /// <summary>
    /// Letters only (Han or Latin), with the middle dot of minority names (买买提·艾力) and single
    /// spaces between Latin words. Everything else, notably control and bidirectional-override
    /// characters, digits and markup, is refused rather than stored and shown back to someone.
    /// </summary>
    public static bool IsValid(string normalized)
    {
        if (normalized.Length is 0 or > MaxLength)
            return false;
        var previous = ' ';
        var letters = 0;
        foreach (var c in normalized)
        {
            var ok = char.IsLetter(c) && CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.OtherLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.UppercaseLetter
                || (c is '·' or '•' or '.' && previous != ' ' && previous is not ('·' or '•' or '.'))
                || (c == ' ' && previous != ' ' && char.IsAsciiLetter(previous));
            if (!ok)
                return false;
            if (char.IsLetter(c))
                letters++;
            previous = c;
        }
        return letters > 0 && char.IsLetter(previous);
    }

    /// <summary><c>张*</c>, <c>欧阳**</c>: the first character, the rest starred.</summary>
    public static string Mask(string normalized)
    {
        var elements = StringInfo.GetTextElementEnumerator(normalized);
        if (!elements.MoveNext())
            return string.Empty;
        var first = elements.GetTextElement();
        var rest = new StringInfo(normalized).LengthInTextElements - 1;
        return first + new string('*', Math.Max(rest, 1));
    }
}
