// UserText: echoed input stays on one line and is cut with its full length said; short input is kept as typed.

using VaeOnnx.Runtime.Core.Text;

namespace VaeOnnx.Tests.Runtime.Core.Text;

public sealed class UserTextTests
{
    [Test]
    public void ShortInputIsKeptAsTyped() => Assert.That(UserText.Echo("0-8"), Is.EqualTo("0-8"));

    [Test]
    public void LongInputIsCutAndItsLengthSaid()
    {
        string echoed = UserText.Echo(new string('7', 200_000));
        Assert.That(echoed, Is.EqualTo(new string('7', UserText.MaxEcho) + "... (200,000 characters)"));
    }

    [Test]
    public void ControlCharactersAreShownAsQuestionMarks() =>
        Assert.That(UserText.Echo("a\nb\u0001c\u001b[31m"), Is.EqualTo("a?b?c?[31m"));

    [Test]
    public void TheReplacementCharacterOfUndecodableBytesIsShownAsAQuestionMark() =>
        Assert.That(UserText.Echo("a\uFFFD\uFFFDb"), Is.EqualTo("a??b"));

    [Test]
    public void NullIsNamed() => Assert.That(UserText.Path(null), Is.EqualTo("(none)"));

    [TestCase(new string[0], "")]
    [TestCase(new[] { "--epochs" }, "--epochs")]
    [TestCase(new[] { "--epochs", "--data" }, "--epochs and --data")]
    [TestCase(new[] { "--epochs", "--threads", "--data" }, "--epochs, --threads and --data")]
    public void NamesAreListedAsASentenceListsThem(string[] names, string expected) =>
        Assert.That(UserText.List(names), Is.EqualTo(expected));
}
