// --threads is bounded for every model command of the runtime CLI (sample --threads 100000 ran for a minute with
// memory growing): over ThreadCount.MaxCount or negative is one line naming the bound, before ONNX Runtime starts;
// the bound itself still runs.
using VaeOnnx.Runtime.Core.Text;
using VaeOnnx.Tests.Support;

namespace VaeOnnx.Tests.Runtime.Host.Cli;

[TestFixture]
public sealed class ThreadOptionTests
{
    private TemporaryFolder _folder = null!;
    private string _model = null!;

    [OneTimeSetUp]
    public void WriteFixtures()
    {
        _folder = new TemporaryFolder("vaeonnx-threads");
        _model = ToyVae.Create(latentSize: 4, channels: 1, height: 6, width: 5, seed: 5).Write(_folder.File("model"));
    }

    [OneTimeTearDown]
    public void Cleanup() => _folder.Dispose();

    [TestCase("info")]
    [TestCase("sample")]
    [TestCase("bench")]
    public void Too_many_threads_are_one_line(string command)
    {
        string output = _folder.File($"{command}.png");
        string[] args = command == "sample" ? ["sample", "--model", _model, "--out", output] : [command, "--model", _model];
        var result = CliRunner.Run([.. args, "--threads", "100000"]);
        result.AssertOneLineError("--threads 100000 is not usable", $"give 1 to {ThreadCount.MaxCount}");
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(File.Exists(output), Is.False);
    }

    [Test]
    public void The_bound_itself_runs()
    {
        string output = _folder.File("bound.png");
        var result = CliRunner.Run("sample", "--model", _model, "--count", "2", "--threads", ThreadCount.MaxCount.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", output);
        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(File.Exists(output), Is.True);
    }
}
