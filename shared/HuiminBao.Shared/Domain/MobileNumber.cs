using System.Text;
using System.Text.RegularExpressions;

namespace HuiminBao.Domain;

/// <summary>A mainland mobile number, as people type it into a form.</summary>
public static partial class MobileNumber
{
    /// <summary>
    /// ASCII digits only (<c>\d</c> would also take ٠-٩ and other scripts' digits, which NFKC leaves
    /// as they are), and <c>\z</c>, not <c>$</c>, which would let a trailing newline through.
    /// </summary>
    [GeneratedRegex(@"\A1[3-9][0-9]{9}\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex Pattern();

    public static string Normalize(string raw)
    {
        var text = raw.Normalize(NormalizationForm.FormKC).Trim(' ', '\u3000');
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is not (' ' or '-'))
                builder.Append(c);
        }
        var compact = builder.ToString();
        if (compact.StartsWith("+86", StringComparison.Ordinal))
            compact = compact[3..];
        return compact;
    }

    public static bool IsValid(string normalized) => Pattern().IsMatch(normalized);

    /// <summary><c>138****8000</c>.</summary>
    public static string Mask(string normalized) =>
        normalized.Length < 7 ? new string('*', normalized.Length) : string.Concat(normalized.AsSpan(0, 3), "****", normalized.AsSpan(normalized.Length - 4));
}
