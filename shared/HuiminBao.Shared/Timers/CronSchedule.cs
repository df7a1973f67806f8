using System.Globalization;

namespace HuiminBao.Timers;

/// <summary>
/// A six-field NCRONTAB schedule, as Azure Functions' timer trigger reads it:
/// <c>{second} {minute} {hour} {day} {month} {day-of-week}</c>, each <c>*</c>, a value, a range
/// <c>a-b</c>, a step <c>*/n</c>, <c>a/n</c> or <c>a-b/n</c>, or a comma list of those; months and
/// days of week may be named (<c>JAN</c>, <c>MON</c>); day of week 0 is Sunday. As in NCrontab, a
/// time must match both the day and the day-of-week field. Evaluated in UTC.
/// </summary>
public sealed class CronSchedule
{
    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    /// <summary>Far enough for any satisfiable schedule (29 February recurs within 8 years).</summary>
    private static readonly TimeSpan Horizon = TimeSpan.FromDays(366 * 8 + 2);

    private readonly bool[] _seconds, _minutes, _hours, _days, _months, _daysOfWeek;

    private CronSchedule(string expression, bool[][] fields)
    {
        Expression = expression;
        (_seconds, _minutes, _hours, _days, _months, _daysOfWeek) = (fields[0], fields[1], fields[2], fields[3], fields[4], fields[5]);
    }

    public string Expression { get; }

    public static CronSchedule Parse(string expression) =>
        TryParse(expression, out var schedule, out var error) ? schedule : throw new FormatException($"Invalid NCRONTAB schedule '{expression}': {error}");

    public static bool TryParse(string expression, out CronSchedule schedule, out string error)
    {
        schedule = null!;
        var parts = (expression ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 6)
        {
            error = "expected six fields: second minute hour day month day-of-week";
            return false;
        }
        (int Min, int Max, string[]? Names, string Name)[] shapes =
            [(0, 59, null, "second"), (0, 59, null, "minute"), (0, 23, null, "hour"), (1, 31, null, "day"), (1, 12, MonthNames, "month"), (0, 6, DayNames, "day-of-week")];
        var fields = new bool[6][];
        for (var i = 0; i < 6; i++)
        {
            var (min, max, names, name) = shapes[i];
            if (ParseField(parts[i], min, max, names) is not { } field)
            {
                error = $"bad {name} field '{parts[i]}' (allowed {min}-{max})";
                return false;
            }
            fields[i] = field;
        }
        schedule = new CronSchedule(string.Join(' ', parts), fields);
        error = "";
        return true;
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>, in UTC; null if the schedule never matches (say, 30 February).</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after)
    {
        var start = after.UtcDateTime;
        var t = new DateTime(start.Year, start.Month, start.Day, start.Hour, start.Minute, start.Second, DateTimeKind.Utc).AddSeconds(1);
        var limit = t + Horizon;
        while (t < limit)
        {
            if (!_months[t.Month])
                t = new DateTime(t.Year, t.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(1);
            else if (!_days[t.Day] || !_daysOfWeek[(int)t.DayOfWeek])
                t = t.Date.AddDays(1);
            else if (!_hours[t.Hour])
                t = t.Date.AddHours(t.Hour + 1);
            else if (!_minutes[t.Minute])
                t = t.Date.AddHours(t.Hour).AddMinutes(t.Minute + 1);
            else if (!_seconds[t.Second])
                t = t.AddSeconds(1);
            else
                return new DateTimeOffset(t);
        }
        return null;
    }

    public override string ToString() => Expression;

    private static bool[]? ParseField(string text, int min, int max, string[]? names)
    {
        var allowed = new bool[max + 1];
        foreach (var item in text.Split(','))
        {
            var (range, stepText) = item.IndexOf('/', StringComparison.Ordinal) is var slash and >= 0 ? (item[..slash], item[(slash + 1)..]) : (item, null);
            var step = 1;
            if (stepText is not null && (!int.TryParse(stepText, NumberStyles.None, CultureInfo.InvariantCulture, out step) || step < 1))
                return null;
            int low, high;
            if (range == "*")
                (low, high) = (min, max);
            else if (range.IndexOf('-', StringComparison.Ordinal) is var dash and > 0)
            {
                if (Value(range[..dash], min, max, names) is not { } from || Value(range[(dash + 1)..], min, max, names) is not { } to || from > to)
                    return null;
                (low, high) = (from, to);
            }
            else
            {
                if (Value(range, min, max, names) is not { } single)
                    return null;
                // "a/n" means from a to the end in steps of n.
                (low, high) = (single, stepText is null ? single : max);
            }
            for (var v = low; v <= high; v += step)
                allowed[v] = true;
        }
        return allowed;
    }

    private static int? Value(string text, int min, int max, string[]? names)
    {
        if (names is not null && Array.FindIndex(names, n => n.Equals(text, StringComparison.OrdinalIgnoreCase)) is var index and >= 0)
            return index + (min == 1 ? 1 : 0);
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max ? value : null;
    }
}
