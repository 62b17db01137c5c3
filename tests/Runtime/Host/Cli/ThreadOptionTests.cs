// --threads is bounded for every model command of the runtime CLI (sample --threads 100000 ran for a minute with
// memory growing): over ThreadCount.MaxCount or negative is one line naming the bound, before ONNX Runtime starts;
// the bound itself still runs.
using VaeOnnx.Runtime.Core.Text;

namespace VaeOnnx.Tests.Runtime.Host.Cli;

[TestFixture]
public sealed class ThreadOptionTests : ToyModelFixture
{
    [TestCase("info")]
    [TestCase("sample")]
    [TestCase("bench")]
    public void Too_many_threads_are_one_line(string command)
    {
        string output = Folder.File($"{command}.png");
        string[] args = command == "sample" ? ["sample", "--model", Model, "--out", output] : [command, "--model", Model];
        var result = CliRunner.Run([.. args, "--threads", "100000"]);
        result.AssertOneLineError("--threads 100000 is not usable", $"give 1 to {ThreadCount.MaxCount}");
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(File.Exists(output), Is.False);
    }

    [Test]
    public void The_bound_itself_runs()
    {
        string output = Folder.File("bound.png");
        var result = CliRunner.Run("sample", "--model", Model, "--count", "2", "--threads", ThreadCount.MaxCount.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", output);
        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(File.Exists(output), Is.True);
    }
}
