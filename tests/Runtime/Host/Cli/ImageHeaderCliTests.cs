// Every command that reads images refuses a decompression bomb (a small PNG whose header claims 8192×8192 16-bit
// pixels) from its header, in one line, allocating little: without --resize because the size is not the model's,
// with --resize because it is over the pixel bound. The reference is the 512 MiB an Rgba64 decode would allocate.
using VaeOnnx.Tests.Runtime.Core.Imaging;
using VaeOnnx.Tests.Support;

namespace VaeOnnx.Tests.Runtime.Host.Cli;

[TestFixture]
public sealed class ImageHeaderCliTests
{
    private TemporaryFolder _folder = null!;
    private string _model = null!;
    private string _bomb = null!;

    [OneTimeSetUp]
    public void WriteFixtures()
    {
        _folder = new TemporaryFolder("vaeonnx-header");
        _model = ToyVae.Create(latentSize: 4, channels: 1, height: 6, width: 5, seed: 5).Write(_folder.File("model"));
        _bomb = _folder.File("bomb.png");
        File.WriteAllBytes(_bomb, PngFileBuilder.Bomb(8192, 8192));
    }

    [OneTimeTearDown]
    public void Cleanup() => _folder.Dispose();

    private static IEnumerable<TestCaseData> Commands()
    {
        foreach (string command in new[] { "reconstruct", "encode", "score", "calibrate" })
        {
            bool resizes = command is "reconstruct" or "encode";
            yield return new TestCaseData(command, false).SetName($"{command} refuses the bomb from its header");
            if (resizes)
            {
                yield return new TestCaseData(command, true).SetName($"{command} --resize refuses the bomb from its header");
            }
        }
    }

    [TestCaseSource(nameof(Commands))]
    public void A_huge_claimed_size_is_refused_before_decoding(string command, bool resize)
    {
        string output = _folder.File($"{command}-{resize}.out");
        var args = new List<string> { command, "--model", _model, "--in", _bomb };
        if (command is "reconstruct" or "encode")
        {
            args.AddRange(["--out", output]);
        }
        if (resize)
        {
            args.Add("--resize");
        }

        long before = GC.GetTotalAllocatedBytes(precise: true);
        var result = CliRunner.Run([.. args]);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        result.AssertOneLineError("bomb.png", "8192×8192");
        Assert.That(result.ExitCode, Is.EqualTo(1));
        TestContext.Out.WriteLine($"{command}: {allocated:N0} managed bytes allocated (a decode would allocate {8192L * 8192 * 8:N0})");
        Assert.That(allocated, Is.LessThan(64L << 20), "the pixels (512 MiB as Rgba64) must never be decoded");
        Assert.That(File.Exists(output), Is.False);
        Assert.That(File.Exists(Path.Combine(_model, "calibration.json")), Is.False);
    }
}
