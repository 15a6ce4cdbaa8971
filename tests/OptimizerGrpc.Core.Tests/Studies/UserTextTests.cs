using OptimizerGrpc.Core.Studies;

namespace OptimizerGrpc.Core.Tests.Studies;

public sealed class UserTextTests
{
    [Theory]
    [InlineData(null, "''")]
    [InlineData("ma.fast", "'ma.fast'")]
    [InlineData("a\nb\u0007", "'a\\u000ab\\u0007'")]
    public void Quote_ShortText_QuotedWithControlCharactersEscaped(string? text, string expected) =>
        Assert.Equal(expected, UserText.Quote(text));

    [Fact]
    public void Quote_LongText_FirstSixtyFourCharactersThenAnEllipsis()
    {
        string quoted = UserText.Quote(new string('x', 1 << 20));

        Assert.Equal("'" + new string('x', 64) + "…'", quoted);
    }

    [Fact]
    public void Quote_CutInsideASurrogatePair_DropsTheLoneHighSurrogate()
    {
        // 63 letters, then U+1F600 (two UTF-16 units, positions 63 and 64), then more: the pair does not fit.
        string text = new string('a', 63) + "\U0001F600" + "tail";

        Assert.Equal("'" + new string('a', 63) + "…'", UserText.Quote(text));
    }
}
