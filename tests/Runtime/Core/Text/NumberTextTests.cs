// UserText.Number: numbers echoed in messages are compact whatever their size (-1e308 was printed with 300 digits),
// checked against double's own round-trip parse; and ThreadCount's bound and JsonErrors' one-based position.
using System.Globalization;
using System.Text.Json;
using VaeOnnx.Runtime.Core.Text;

namespace VaeOnnx.Tests.Runtime.Core.Text;

public sealed class NumberTextTests
{
    [TestCase(-1e308)]
    [TestCase(1e38)]
    [TestCase(double.MaxValue)]
    [TestCase(double.NaN)]
    [TestCase(double.NegativeInfinity)]
    [TestCase(1e-300)]
    public void Extreme_numbers_are_short_and_read_back_within_six_digits(double value)
    {
        foreach (string text in new[] { UserText.Number(value), UserText.Number(value, 3) })
        {
            Assert.That(text.Length, Is.LessThanOrEqualTo(14), text);
            double back = double.Parse(text, CultureInfo.InvariantCulture);
            Assert.That(double.IsNaN(value) ? double.IsNaN(back) : back == value || Math.Abs(back - value) <= Math.Abs(value) * 1e-5 + 1e-3, Is.True, text);
        }
    }

    [Test]
    public void Ordinary_numbers_keep_their_fixed_decimals() => Assert.That(UserText.Number(12.34567, 3), Is.EqualTo("12.346"));

    [TestCase(0, true)]
    [TestCase(1, true)]
    [TestCase(ThreadCount.MaxCount, true)]
    [TestCase(ThreadCount.MaxCount + 1, false)]
    [TestCase(-1, false)]
    [TestCase(100000, false)]
    public void Thread_counts_are_bounded(long threads, bool usable)
    {
        string? problem = ThreadCount.ProblemForOnnxRuntime(threads, "--threads");
        Assert.That(problem is null, Is.EqualTo(usable), problem);
        if (problem is not null)
        {
            Assert.That(problem, Does.StartWith($"--threads {threads} ").And.Contain($"1 to {ThreadCount.MaxCount}"));
        }
    }

    [Test]
    public void Json_errors_give_one_based_line_and_column()
    {
        var error = Assert.Catch<JsonException>(() => JsonDocument.Parse("{\n  \"a\": tru\n}"));
        string described = JsonErrors.Describe(error!);
        Assert.That(described, Does.StartWith("line 2, column ").And.Not.Contain("LineNumber"));
        Assert.That(int.Parse(described.Split(' ')[3].TrimEnd(':'), CultureInfo.InvariantCulture), Is.EqualTo(error!.BytePositionInLine + 1));
    }
}
