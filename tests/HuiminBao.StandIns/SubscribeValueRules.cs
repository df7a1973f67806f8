using System.Globalization;
using System.Text;

namespace HuiminBao.StandIns;

/// <summary>
/// WeChat's rules for subscribe message values by key type, written independently of the pipeline's
/// own fitting so the stand-in catches its mistakes. Lengths count Unicode code points.
/// </summary>
public static class SubscribeValueRules
{
    public static bool Fits(string key, string value)
    {
        var type = key.TrimEnd("0123456789".ToCharArray());
        var runes = value.EnumerateRunes().ToList();
        var ascii = runes.All(r => r.IsAscii);
        return type switch
        {
            "thing" => runes.Count <= 20,
            "short_thing" => runes.Count <= 5,
            "phrase" => runes.Count <= 5 && runes.All(IsHan),
            "name" => runes.Count <= (ascii ? 20 : 10),
            "character_string" => runes.Count <= 32 && ascii && runes.All(r => !Rune.IsControl(r)),
            "number" => runes.Count <= 32 && decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _),
            "letter" => runes.Count <= 32 && runes.All(r => r.IsAscii && Rune.IsLetter(r)),
            "symbol" => runes.Count <= 5,
            "phone_number" => runes.Count <= 17 && ascii,
            "car_number" => runes.Count <= 8,
            "amount" or "date" or "time" => runes.Count <= 32,
            _ => false,
        };
    }

    private static bool IsHan(Rune rune) => Rune.GetUnicodeCategory(rune) == UnicodeCategory.OtherLetter;
}
