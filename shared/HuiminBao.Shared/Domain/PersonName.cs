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
    /// Letters only (Han or Latin), with a middle dot of minority names (买买提·艾力, any of the dots in <see cref="IsDot"/>) and single
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
                || (IsDot(c) && previous != ' ' && !IsDot(previous))
                || (c == ' ' && previous != ' ' && char.IsAsciiLetter(previous));
            if (!ok)
                return false;
            if (char.IsLetter(c))
                letters++;
            previous = c;
        }
        return letters > 0 && char.IsLetter(previous);
    }

    /// <summary>
    /// The version of <see cref="ComparisonForm"/>. Keys made from one form never match keys made
    /// from another, so anything stored with a name key records the version it was made with.
    /// </summary>
    public const int ComparisonVersion = 1;

    /// <summary>
    /// The one form in which a name typed into the mini-program is compared with the name on the
    /// basic-insurance record (roster import and eligibility both use it). NFKC folds full-width
    /// letters and compatibility characters into their plain forms; whitespace (U+3000 included),
    /// invisible format characters and every middle-dot variant are dropped, so 买买提·艾力,
    /// 买买提•艾力, 买买提．艾力 and 买买提 艾力 compare equal (people type whatever dot their
    /// keyboard offers, or none); Latin letters are case-folded. Nothing else is forgiven: a
    /// different character is a different name.
    /// </summary>
    public static string ComparisonForm(string name)
    {
        var text = name.Normalize(NormalizationForm.FormKC);
        var builder = new StringBuilder(text.Length);
        Span<char> folded = stackalloc char[2];
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune) || (rune.IsBmp && IsDot((char)rune.Value))
                || Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.Control)
                continue;
            builder.Append(folded[..Rune.ToLowerInvariant(rune).EncodeToUtf16(folded)]);
        }
        return builder.ToString();
    }

    /// <summary>The dots people put between the parts of a minority name, whichever their keyboard offers: · • . ． ﹒ ・ ･ ‧ ∙ ⋅ and kin.</summary>
    private static bool IsDot(char c) => c is
        '.' or '\u00B7' or '\u0387' or '\u2022' or '\u2027' or '\u2219' or '\u22C5' or '\u30FB' or '\uFF65' or '\uFF0E' or '\uFE52'
        or '\u16EB' or '\u2E31' or '\u2E33' or '\uA78F';

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
