using HuiminBao.Domain;

namespace HuiminBao.Tests.Domain;

public sealed class IdNumberTests
{
    private static readonly DateOnly Today = new(2026, 11, 23);

    [Theory]
    [InlineData("11010519491231002X")]
    [InlineData("110105194912310029", false)]
    [InlineData("410522196305187312")]
    [InlineData("410522196305187313", false)]
    public void Checksum_follows_iso_7064_mod_11_2(string id, bool valid = true)
    {
        Assert.Equal(valid ? null : ErrorCodes.IdNumberChecksum, IdNumber.Check(id, Today));
    }

    [Theory]
    [InlineData("１１０１０５１９４９１２３１００２ｘ", "11010519491231002X")]
    [InlineData(" 11010519491231002x ", "11010519491231002X")]
    [InlineData("110105 19491231 002X", "11010519491231002X")]
    public void Normalising_turns_full_width_digits_lowercase_x_and_spaces_into_the_plain_form(string raw, string expected)
    {
        Assert.Equal(expected, IdNumber.Normalize(raw));
    }

    [Theory]
    [InlineData("410502900101123", ErrorCodes.IdNumberLegacy)]
    [InlineData("41050219900101123", ErrorCodes.IdNumberFormat)]
    [InlineData("4105021990010112345", ErrorCodes.IdNumberFormat)]
    [InlineData("41050219900101123Y", ErrorCodes.IdNumberFormat)]
    [InlineData("41050219900230123X", ErrorCodes.IdNumberBirthDate)]
    [InlineData("41050218990101123X", ErrorCodes.IdNumberBirthDate)]
    [InlineData("4105022\u0000990101123X", ErrorCodes.IdNumberFormat)]
    public void Malformed_numbers_get_their_own_codes(string id, string code)
    {
        Assert.Equal(code, IdNumber.Check(IdNumber.Normalize(id), Today));
    }

    [Fact]
    public void A_birth_date_after_today_is_refused_but_today_is_fine()
    {
        var tomorrow = "410502" + Today.AddDays(1).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture) + "001";
        var today = "410502" + Today.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture) + "001";
        Assert.Equal(ErrorCodes.IdNumberBirthDateFuture, IdNumber.Check(tomorrow + IdNumber.CheckCharacter(tomorrow), Today));
        Assert.Null(IdNumber.Check(today + IdNumber.CheckCharacter(today), Today));
    }

    [Fact]
    public void Region_prefix_is_not_checked_because_ids_keep_where_they_were_issued()
    {
        var beijing = "110105" + "19900101" + "123";
        Assert.Null(IdNumber.Check(beijing + IdNumber.CheckCharacter(beijing), Today));
    }

    [Fact]
    public void Masking_keeps_the_first_six_and_last_four()
    {
        Assert.Equal("410502********1234", IdNumber.Mask("410502199001011234"));
    }
}
