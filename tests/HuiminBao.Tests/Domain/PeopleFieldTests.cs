using HuiminBao.Domain;

namespace HuiminBao.Tests.Domain;

public sealed class PeopleFieldTests
{
    [Theory]
    [InlineData("13800138000", true)]
    [InlineData("+86 138-0013-8000", true)]
    [InlineData("１３８００１３８０００", true)]
    [InlineData("12800138000", false)]
    [InlineData("1380013800", false)]
    [InlineData("138001380000", false)]
    [InlineData("1380013800\n", false)]
    [InlineData("13800138000\n", false)]
    [InlineData("138001380\u0660\u0660", false)]
    [InlineData("1380013800\u0669", false)]
    [InlineData("13800138\u0966\u0966\u0966", false)]
    public void Mobiles_are_mainland_numbers_after_stripping_the_country_code_spaces_and_dashes(string raw, bool valid)
    {
        Assert.Equal(valid, MobileNumber.IsValid(MobileNumber.Normalize(raw)));
    }

    [Theory]
    [InlineData("张三", true)]
    [InlineData("欧阳娜娜", true)]
    [InlineData("买买提·艾力", true)]
    [InlineData("John Smith", true)]
    [InlineData("张 三", false)]
    [InlineData("张三3", false)]
    [InlineData("<b>张三</b>", false)]
    [InlineData("张\u202E三", false)]
    [InlineData("张三\r\n", false)]
    [InlineData("·张三", false)]
    [InlineData("买买提．艾力", true)]
    [InlineData("买买提・艾力", true)]
    [InlineData("买买提··艾力", false)]
    [InlineData("", false)]
    public void Names_are_letters_with_a_middle_dot_or_single_spaces_between_latin_words(string raw, bool valid)
    {
        Assert.Equal(valid, PersonName.IsValid(PersonName.Normalize(raw)));
    }

    [Theory]
    [InlineData("买买提·艾力", "买买提•艾力")]
    [InlineData("买买提·艾力", "买买提．艾力")]
    [InlineData("买买提·艾力", "买买提・艾力")]
    [InlineData("买买提·艾力", "买买提‧艾力")]
    [InlineData("买买提·艾力", "买买提.艾力")]
    [InlineData("买买提·艾力", "买买提 艾力")]
    [InlineData("买买提·艾力", "买买提艾力")]
    [InlineData("张三", " 张\u3000三 ")]
    [InlineData("张三", "张\u200B三")]
    [InlineData("John Smith", "JOHN  SMITH")]
    [InlineData("John Smith", "ＪＯＨＮ ＳＭＩＴＨ")]
    [InlineData("John Smith", "johnsmith")]
    public void Names_compare_equal_across_spaces_middle_dots_width_and_latin_case(string onRecord, string typed)
    {
        Assert.Equal(PersonName.ComparisonForm(onRecord), PersonName.ComparisonForm(typed));
    }

    [Theory]
    [InlineData("张三", "张山")]
    [InlineData("张三", "张三丰")]
    [InlineData("欧阳娜娜", "欧娜娜")]
    [InlineData("买买提·艾力", "买买提·艾丽")]
    [InlineData("John Smith", "Jon Smith")]
    public void Names_that_differ_in_any_letter_compare_different(string onRecord, string typed)
    {
        Assert.NotEqual(PersonName.ComparisonForm(onRecord), PersonName.ComparisonForm(typed));
    }

    [Theory]
    [InlineData("张三", "张*")]
    [InlineData("欧阳娜娜", "欧***")]
    [InlineData("王", "王*")]
    [InlineData("𠀋一", "𠀋*")]
    public void Masked_names_keep_the_first_character(string name, string masked)
    {
        Assert.Equal(masked, PersonName.Mask(name));
    }

    [Fact]
    public void Masked_mobiles_keep_the_first_three_and_last_four()
    {
        Assert.Equal("138****8000", MobileNumber.Mask("13800138000"));
    }

    [Fact]
    public void Beijing_days_turn_at_16_00_utc()
    {
        Assert.Equal(new DateOnly(2026, 3, 6), BeijingTime.DayOf(new DateTimeOffset(2026, 3, 5, 16, 0, 0, TimeSpan.Zero)));
        Assert.Equal(new DateOnly(2026, 3, 5), BeijingTime.DayOf(new DateTimeOffset(2026, 3, 5, 15, 59, 59, TimeSpan.Zero)));
    }
}
