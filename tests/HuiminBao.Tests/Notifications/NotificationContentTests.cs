using System.ComponentModel.DataAnnotations;
using System.Globalization;
using HuiminBao.Notifications;
using HuiminBao.StandIns;

namespace HuiminBao.Tests.Notifications;

/// <summary>What the message says, and that every value fits WeChat's limit for its key type.</summary>
public sealed class NotificationContentTests
{
    private static NotificationOptions Options(string outcome = "phrase1", string insured = "thing2", string planYear = "character_string3", string remark = "thing4") => new()
    {
        TemplateId = WeChatStandIn.SignUpResultTemplateId,
        Fields = new NotificationFieldKeys { Outcome = outcome, Insured = insured, PlanYear = planYear, Remark = remark },
    };

    private static NotificationQueued Notification(string status, params NotifiedPerson[] persons) => new("abc123", "o-user", 2026, status, persons);

    [Fact]
    public void An_enrolled_household_reads_as_success_with_masked_names_year_and_page()
    {
        var message = new NotificationContent(Microsoft.Extensions.Options.Options.Create(Options())).Compose(Notification("enrolled",
            new NotifiedPerson("张*", "self", "enrolled", null), new NotifiedPerson("欧阳**", "spouse", "enrolled", null)));

        Assert.Equal("o-user", message.ToUser);
        Assert.Equal("pages/signup/status?id=abc123", message.Page);
        Assert.Equal("formal", message.MiniProgramState);
        Assert.Equal("zh_CN", message.Lang);
        Assert.Equal("参保成功", message.Data["phrase1"].Value);
        Assert.Equal("张*、欧阳**", message.Data["thing2"].Value);
        Assert.Equal("2026", message.Data["character_string3"].Value);
    }

    [Theory]
    [InlineData("rejected", "未通过", "李*：基本医保处于暂停状态", "not-insured", "insurance-suspended", null, null)]
    [InlineData("rejected", "未通过", "2人未通过，点击查看原因", "not-insured", "insurance-suspended", "not-insured", "not-on-roster")]
    [InlineData("partially-enrolled", "部分成功", "李*等2人：本年度已参保，无需重复投保", "already-enrolled", "enrolled-elsewhere", "already-enrolled", "enrolled-elsewhere")]
    [InlineData("rejected", "未通过", "李*：请核对姓名和身份证号", "identity-mismatch", "name-mismatch", null, null)]
    [InlineData("rejected", "未通过", "李*：请核对姓名和身份证号", "not-insured", "not-on-roster", null, null)]
    [InlineData("rejected", "未通过", "2人未通过，点击查看原因", "not-insured", "insurance-terminated", "identity-mismatch", "name-mismatch")]
    [InlineData("rejected", "未通过", "李*等2人：请核对姓名和身份证号", "identity-mismatch", "name-mismatch", "not-insured", "insurance-suspended")]
    public void Who_was_not_enrolled_and_why_goes_into_the_remark(string status, string outcome, string remark, string firstOutcome, string firstReason, string? secondOutcome, string? secondReason)
    {
        var persons = new List<NotifiedPerson> { new("李*", "self", firstOutcome, firstReason) };
        if (secondOutcome is not null)
            persons.Add(new NotifiedPerson("王**", "child", secondOutcome, secondReason));
        if (status == "partially-enrolled")
            persons.Add(new NotifiedPerson("赵*", "spouse", "enrolled", null));

        var message = new NotificationContent(Microsoft.Extensions.Options.Options.Create(Options())).Compose(Notification(status, [.. persons]));

        Assert.Equal(outcome, message.Data["phrase1"].Value);
        Assert.Equal(remark, message.Data["thing4"].Value);
    }

    [Fact]
    public void Every_value_fits_its_key_type_for_any_household()
    {
        string[] names = ["张*", "欧阳**", "买**·**", "𠮷*", "A*****", "e\u0301*"];
        string[] statuses = ["enrolled", "partially-enrolled", "rejected", "needs-review"];
        string[] reasons = ["not-on-roster", "insurance-suspended", "insurance-terminated", "enrolled-elsewhere", "processing-failed", "name-mismatch"];
        foreach (var (outcomeKey, insuredKey, yearKey) in new[] { ("phrase1", "thing2", "character_string3"), ("thing1", "name2", "number3"), ("short_thing1", "thing2", "thing3") })
        {
            var content = new NotificationContent(Microsoft.Extensions.Options.Options.Create(Options(outcomeKey, insuredKey, yearKey)));
            for (var count = 1; count <= 8; count++)
            {
                foreach (var status in statuses)
                {
                    var persons = Enumerable.Range(0, count).Select(i => new NotifiedPerson(names[i % names.Length], "child",
                        status == "enrolled" || (status == "partially-enrolled" && i == 0) ? "enrolled" : "not-insured", reasons[i % reasons.Length])).ToArray();
                    var message = content.Compose(Notification(status, persons));
                    foreach (var (key, value) in message.Data)
                        Assert.True(SubscribeValueRules.Fits(key, value.Value), $"{key} = '{value.Value}' ({status}, {count} persons)");
                }
            }
        }
    }

    [Fact]
    public void Values_are_cut_between_text_elements_never_inside_one()
    {
        var thing = SubscribeFieldType.Of("thing7");
        var han = thing.Fit(new string('保', 25));
        Assert.Equal(new string('保', 19) + "…", han);

        var astral = thing.Fit(string.Concat(Enumerable.Repeat("𠮷", 25)));
        Assert.Equal(20, SubscribeFieldType.Length(astral));
        Assert.DoesNotContain(astral.EnumerateRunes(), r => r == System.Text.Rune.ReplacementChar);
        Assert.True(astral.Zip(astral.Skip(1)).All(p => !char.IsHighSurrogate(p.First) || char.IsLowSurrogate(p.Second)));

        var combining = thing.Fit(string.Concat(Enumerable.Repeat("e\u0301", 15)));
        var elements = StringInfo.GetTextElementEnumerator(combining);
        while (elements.MoveNext())
            Assert.True(elements.GetTextElement() is "e\u0301" or "…", $"split element '{elements.GetTextElement()}'");

        Assert.Equal("参保成功啦", SubscribeFieldType.Of("phrase2").Fit("参保成功啦啦"));
        Assert.Equal("张*、李*、王*、赵*、钱*、孙*等8人", thing.FitList(["张*", "李*", "王*", "赵*", "钱*", "孙*", "周*", "吴*"]));
        Assert.Equal("欧阳**、司马**、诸葛**等5人", thing.FitList(["欧阳**", "司马**", "诸葛**", "上官**", "东方**"]));
    }

    [Theory]
    [InlineData("thing2", "thing")]
    [InlineData("character_string13", "character_string")]
    [InlineData("phrase1", "phrase")]
    public void Template_keys_are_read_by_their_type_prefix(string key, string prefix) =>
        Assert.Equal(prefix, SubscribeFieldType.Of(key).Prefix);

    [Theory]
    [InlineData("", "thing2", "character_string3", "thing4")]
    [InlineData("thing1", "thing2", "phrase3", "thing4")]
    [InlineData("phrase1", "thing", "character_string3", "thing4")]
    [InlineData("phrase1", "bogus2", "character_string3", "thing4")]
    [InlineData("phrase1", "thing2", "character_string3", "phrase4")]
    public void A_field_mapping_WeChat_could_not_take_is_refused_at_start(string outcome, string insured, string planYear, string remark)
    {
        var options = Options(outcome, insured, planYear, remark);
        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), [], validateAllProperties: true));
    }

    [Fact]
    public void The_development_mapping_is_valid()
    {
        var options = Options();
        Assert.True(Validator.TryValidateObject(options, new ValidationContext(options), [], validateAllProperties: true));
    }
}
