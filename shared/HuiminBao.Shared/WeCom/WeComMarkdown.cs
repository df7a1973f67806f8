using System.Globalization;
using System.Text;

namespace HuiminBao.WeCom;

/// <summary>Keeps a markdown message within the robot's 4096-byte limit (UTF-8; a Chinese character is 3 bytes).</summary>
public static class WeComMarkdown
{
    public const int MaxBytes = 4096;
    private const string Cut = "\n……（内容过长，已截断）";

    public static string Fit(string markdown)
    {
        if (Encoding.UTF8.GetByteCount(markdown) <= MaxBytes)
            return markdown;
        var budget = MaxBytes - Encoding.UTF8.GetByteCount(Cut);
        var kept = new StringBuilder();
        var used = 0;
        // By text element, so neither a surrogate pair nor a combining sequence is split.
        var elements = StringInfo.GetTextElementEnumerator(markdown);
        while (elements.MoveNext())
        {
            var element = elements.GetTextElement();
            var size = Encoding.UTF8.GetByteCount(element);
            if (used + size > budget)
                break;
            kept.Append(element);
            used += size;
        }
        return kept.Append(Cut).ToString();
    }

    /// <summary>36万-style reading of a count for ops ("约 36.0 万"), empty under ten thousand.</summary>
    public static string Wan(long count) =>
        count >= 10_000 ? string.Create(CultureInfo.InvariantCulture, $"约 {count / 10_000.0:0.0} 万") : "";

    public static string Number(long count) => count.ToString("N0", CultureInfo.InvariantCulture);
}
