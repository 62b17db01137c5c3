// Every command that reads images refuses a decompression bomb (a small PNG whose header claims 8192×8192 16-bit
// pixels) from its header, in one line, allocating little: without --resize because the size is not the model's,
// with --resize because it is over the pixel bound. The reference is the 512 MiB an Rgba64 decode would allocate.
using VaeOnnx.Tests.Runtime.Core.Imaging;

namespace VaeOnnx.Tests.Runtime.Host.Cli;

[TestFixture]
public sealed class ImageHeaderCliTests : ToyModelFixture
{
    private string _bomb = null!;

    [OneTimeSetUp]
    public void WriteFixtures()
    {
        _bomb = Folder.File("bomb.png");
        File.WriteAllBytes(_bomb, PngFileBuilder.Bomb(8192, 8192));
    }

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
        string output = Folder.File($"{command}-{resize}.out");
        var args = new List<string> { command, "--model", Model, "--in", _bomb };
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
        Assert.That(File.Exists(Path.Combine(Model, "calibration.json")), Is.False);
    }
}
