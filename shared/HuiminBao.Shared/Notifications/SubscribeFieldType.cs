using System.Globalization;
using System.Text;

namespace HuiminBao.Notifications;

/// <summary>
/// A template key's type (<c>thing</c> in <c>thing2</c>) and WeChat's length limit for its value.
/// Lengths are counted in Unicode code points, and values are cut only between text elements, so a
/// surrogate pair (𠮷) or a base letter with its combining marks is never split.
/// </summary>
public sealed record SubscribeFieldType(string Prefix, int MaxLength, bool MayEllipsize)
{
    private const string Ellipsis = "…";

    // From the subscribe message docs: thing 20 characters, phrase 5 Chinese characters, name 10
    // (Chinese; 20 if Latin only, but masked names mix), character_string 32, and so on.
    private static readonly Dictionary<string, SubscribeFieldType> Types = new SubscribeFieldType[]
    {
        new("thing", 20, true),
        new("short_thing", 5, false),
        new("phrase", 5, false),
        new("name", 10, false),
        new("character_string", 32, false),
        new("number", 32, false),
        new("letter", 32, false),
        new("symbol", 5, false),
        new("phone_number", 17, false),
        new("car_number", 8, false),
        new("amount", 12, false),
        new("date", 32, false),
        new("time", 32, false),
    }.ToDictionary(t => t.Prefix, StringComparer.Ordinal);

    /// <summary><c>thing2</c> → thing; <c>character_string13</c> → character_string.</summary>
    public static bool TryParse(string key, out SubscribeFieldType type)
    {
        var digits = key.Length;
        while (digits > 0 && char.IsAsciiDigit(key[digits - 1]))
            digits--;
        type = null!;
        return digits > 0 && digits < key.Length && Types.TryGetValue(key[..digits], out type!);
    }

    public static SubscribeFieldType Of(string key) =>
        TryParse(key, out var type) ? type : throw new ArgumentException($"'{key}' is not a WeChat template key.", nameof(key));

    public static int Length(string value) => value.EnumerateRunes().Count();

    /// <summary>The value, cut to fit if it must be (with … where the type allows a symbol).</summary>
    public string Fit(string value)
    {
        if (Length(value) <= MaxLength)
            return value;
        var budget = MayEllipsize ? MaxLength - Length(Ellipsis) : MaxLength;
        var cut = new StringBuilder();
        var used = 0;
        var elements = StringInfo.GetTextElementEnumerator(value);
        while (elements.MoveNext())
        {
            var element = elements.GetTextElement();
            var size = Length(element);
            if (used + size > budget)
                break;
            cut.Append(element);
            used += size;
        }
        return MayEllipsize ? cut + Ellipsis : cut.ToString();
    }

    /// <summary>
    /// Items joined with 、 as far as they fit whole: <c>张*、李*</c>, or when they don't, <c>张*、李*等5人</c>
    /// (or the first item cut, if even one won't fit with its count).
    /// </summary>
    public string FitList(IReadOnlyList<string> items, string countSuffix = "人")
    {
        var all = string.Join('、', items);
        if (Length(all) <= MaxLength || items.Count <= 1)
            return Fit(all);
        for (var take = items.Count - 1; take >= 1; take--)
        {
            var candidate = $"{string.Join('、', items.Take(take))}等{items.Count}{countSuffix}";
            if (Length(candidate) <= MaxLength)
                return candidate;
        }
        return Fit(items[0]);
    }
}
