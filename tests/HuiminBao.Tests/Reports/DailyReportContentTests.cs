using HuiminBao.Domain;
using HuiminBao.Reports;
using HuiminBao.Tallies;

namespace HuiminBao.Tests.Reports;

public sealed class DailyReportContentTests
{
    private static readonly DateOnly Day = new(2026, 3, 5);

    private static TallyReport Report(long? population, params DistrictTally[] districts) => new(
        2026, new DateOnly(2026, 3, 1), Day, Day, Day.AddDays(1), BeijingTime.StartOf(Day.AddDays(1)), 120, 3_600,
        [new TallyDay(Day, 120, 3_600, new Dictionary<string, long>(), new Dictionary<string, long>(), new Dictionary<string, long>())],
        districts, new Dictionary<string, long>(), new Dictionary<string, long>(),
        population, population is { } p ? DistrictTally.RateOf(3_600, p) : null);

    [Fact]
    public void The_report_gives_the_total_rate_and_the_three_districts_with_the_lowest_rate()
    {
        var report = Report(43_425,
            new DistrictTally("410502", "文峰区", 40, 1_500, 10_000, DistrictTally.RateOf(1_500, 10_000)),
            new DistrictTally("410503", "北关区", 30, 900, 8_000, DistrictTally.RateOf(900, 8_000)),
            new DistrictTally("410505", "殷都区", 20, 600, 9_000, DistrictTally.RateOf(600, 9_000)),
            new DistrictTally("410506", "龙安区", 20, 400, 9_425, DistrictTally.RateOf(400, 9_425)),
            new DistrictTally("410581", "林州市", 10, 200, 7_000, DistrictTally.RateOf(200, 7_000)),
            new DistrictTally("410526", "滑县", 0, 0));

        var text = DailyReportContent.Compose(report, Day, 5, BeijingTime.StartOf(Day.AddDays(1)));

        Assert.Contains("参保率：<font color=\"info\">**8.29%**</font>（基本医保参保人数 43,425 人）", text, StringComparison.Ordinal);
        var lowest = text[text.IndexOf("参保率最低的区县", StringComparison.Ordinal)..];
        Assert.Contains("1. 林州市：2.86%（200 / 7,000 人）", lowest, StringComparison.Ordinal);
        Assert.Contains("2. 龙安区：4.24%", lowest, StringComparison.Ordinal);
        Assert.Contains("3. 殷都区：6.67%", lowest, StringComparison.Ordinal);
        // A district without a population has no rate to rank.
        Assert.DoesNotContain("滑县：", lowest, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_roster_the_report_has_no_rate_lines()
    {
        var text = DailyReportContent.Compose(Report(null, new DistrictTally("410502", "文峰区", 40, 1_500)), Day, 5, BeijingTime.StartOf(Day.AddDays(1)));

        Assert.DoesNotContain("参保率", text, StringComparison.Ordinal);
    }
}
