// The built-in font: every printable character has a distinct glyph, sizes measure as documented, and
// unknown characters fall back to '?'.
using VaeOnnx.Runtime.Core.Imaging;

namespace VaeOnnx.Tests.Runtime.Core.Imaging;

public class BitmapFontTests
{
    [Test]
    public void EveryPrintableCharacterHasItsOwnGlyph()
    {
        var seen = new Dictionary<string, char>();
        for (char c = '!'; c <= '~'; c++)
        {
            string bits = Bits(c);
            Assert.That(bits, Does.Contain('1'), $"'{c}' has no ink");
            Assert.That(seen.TryAdd(bits, c), Is.True, $"'{c}' looks exactly like '{(seen.TryGetValue(bits, out char other) ? other : ' ')}'");
        }
        Assert.That(Bits(' '), Does.Not.Contain('1'));
        Assert.That(Bits('\u00e9'), Is.EqualTo(Bits('?')));
    }

    [Test]
    public void MeasureCountsAdvanceAndLines()
    {
        Assert.That(BitmapFont.Measure("abc"), Is.EqualTo((17, 7)));
        Assert.That(BitmapFont.Measure("abc", 2), Is.EqualTo((34, 14)));
        Assert.That(BitmapFont.Measure("ab\nabcd"), Is.EqualTo((23, 16)));
    }

    internal static int InkCount(string text) => text.Sum(c => Bits(c).Count(b => b == '1'));

    private static string Bits(char c) =>
        string.Concat(Enumerable.Range(0, BitmapFont.GlyphHeight * BitmapFont.GlyphWidth)
            .Select(i => BitmapFont.IsSet(c, i % BitmapFont.GlyphWidth, i / BitmapFont.GlyphWidth) ? '1' : '0'));
}
