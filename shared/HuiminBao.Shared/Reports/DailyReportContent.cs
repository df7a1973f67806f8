using System.Globalization;
using System.Text;
using HuiminBao.Domain;
using HuiminBao.Tallies;
using HuiminBao.WeCom;

namespace HuiminBao.Reports;

/// <summary>
/// The daily report as WeCom markdown: the day's count, the running total and 参保率, the top
/// districts, and the three districts with the lowest 参保率 (where ops should push), well under 4096 bytes.
/// </summary>
public static class DailyReportContent
{
    public static string Compose(TallyReport tally, DateOnly day, int topDistricts, DateTimeOffset generatedAt)
    {
        var figures = tally.Days.Single(d => d.Day == day);
        var text = new StringBuilder();
        var invariant = CultureInfo.InvariantCulture;
        text.Append(invariant, $"## 惠民保参保日报 · {day.Year}年{day.Month}月{day.Day}日\n");
        text.Append(invariant, $"> 当日新增参保：<font color=\"info\">**{WeComMarkdown.Number(figures.Enrolled)}**</font> 人\n");
        text.Append(invariant, $"> 累计参保：<font color=\"info\">**{WeComMarkdown.Number(figures.Cumulative)}**</font> 人");
        var wan = WeComMarkdown.Wan(figures.Cumulative);
        if (wan.Length > 0)
            text.Append('（').Append(wan).Append('）');
        text.Append('\n');
        if (tally.Population is { } population && DistrictTally.RateOf(figures.Cumulative, population) is { } rate)
            text.Append(invariant, $"> 参保率：<font color=\"info\">**{Percent(rate)}**</font>（基本医保参保人数 {WeComMarkdown.Number(population)} 人）\n");
        if (tally.WindowStart is { } start)
            text.Append(invariant, $"> 统计自 {start:yyyy-MM-dd} 开放投保起，{tally.PlanYear} 年度\n");

        var top = tally.Districts.Where(d => d.Cumulative > 0).Take(topDistricts).ToList();
        text.Append(invariant, $"\n**累计参保人数前 {topDistricts} 的区县**\n");
        if (top.Count == 0)
            text.Append("> 暂无参保\n");
        for (var i = 0; i < top.Count; i++)
        {
            var district = top[i];
            text.Append(invariant, $"> {i + 1}. {district.Name}：{WeComMarkdown.Number(district.Cumulative)} 人（当日 +{WeComMarkdown.Number(district.Enrolled)}）\n");
        }

        var lowest = tally.Districts.Where(d => d.Rate is not null).OrderBy(d => d.Rate).ThenBy(d => d.Code, StringComparer.Ordinal).Take(3).ToList();
        if (lowest.Count > 0)
        {
            text.Append("\n**参保率最低的区县**\n");
            for (var i = 0; i < lowest.Count; i++)
                text.Append(invariant, $"> {i + 1}. {lowest[i].Name}：{Percent(lowest[i].Rate!.Value)}（{WeComMarkdown.Number(lowest[i].Cumulative)} / {WeComMarkdown.Number(lowest[i].Population!.Value)} 人）\n");
        }

        var generated = BeijingTime.ToBeijing(generatedAt);
        text.Append(invariant, $"\n<font color=\"comment\">按北京时间统计，{day:yyyy-MM-dd} 当天受理的参保计入当日；生成于 {generated:yyyy-MM-dd HH:mm}。</font>");
        return WeComMarkdown.Fit(text.ToString());
    }

    private static string Percent(double rate) => (rate * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%";
}
