// Every command that runs a model, on models whose decoder outputs NaN or +-infinity (NonFiniteVae): each either
// succeeds with finite results or fails the CLI way (exit 1, one "error: ..." line naming decoder.onnx and the value,
// no stack trace, no output file), never exit 70. Which of the two is stated per case: every path through the broken
// decoder fails; encode (a working encoder) succeeds; score and calibrate on the infinite Gaussian model read the
// infinities as +-float.MaxValue (runtime/Core/Scoring/README.md) and succeed. Also the |z| bound (VaeModel.MaxLatentMagnitude) on
// the decode command's --z file, from float32's maximum down to the bound.
using System.Globalization;
using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.Imaging;
using VaeOnnx.Tests.Support;

namespace VaeOnnx.Tests.Runtime.Host.Cli;

[TestFixture]
public sealed class NonFiniteModelCliTests
{
    private TemporaryFolder _folder = null!;
    private string _imageA = "", _imageB = "", _zFile = "";

    [OneTimeSetUp]
    public void Write()
    {
        _folder = new TemporaryFolder("vaeonnx-nonfinite-cli");
        foreach (var kind in Enum.GetValues<NonFiniteKind>())
        {
            NonFiniteVae.Write(_folder.File(kind.ToString()), kind);
        }
        _imageA = WritePng("a.png", seed: 1);
        _imageB = WritePng("b.png", seed: 2);
        _zFile = _folder.File("z.csv");
        File.WriteAllText(_zFile, "0.5,-1,0,2\n0,0,0,0\n");
    }

    [OneTimeTearDown]
    public void Delete() => _folder.Dispose();

    public sealed record Case(NonFiniteKind Kind, string Command, bool ExpectFailure)
    {
        public override string ToString() => $"{Kind} model: {Command}";
    }

    public static IEnumerable<Case> Cases()
    {
        foreach (var kind in Enum.GetValues<NonFiniteKind>())
        {
            foreach (var command in new[] { "sample", "decode", "reconstruct", "interpolate" })
                yield return new(kind, command, true);
            yield return new(kind, "encode", false);
            yield return new(kind, "score", kind == NonFiniteKind.NaN);
            yield return new(kind, "calibrate", kind == NonFiniteKind.NaN);
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void Every_command_succeeds_finitely_or_fails_in_one_line(Case c)
    {
        string model = _folder.File(c.Kind.ToString());
        string output = _folder.File($"{c.Kind}-{c.Command}.out");
        string[] args = c.Command switch
        {
            "sample" => ["sample", "--model", model, "--count", "4", "--seed", "1", "--out", output],
            "decode" => ["decode", "--model", model, "--z", _zFile, "--out", output],
            "reconstruct" => ["reconstruct", "--model", model, "--in", _imageA, _imageB, "--out", output],
            "interpolate" => ["interpolate", "--model", model, "--from", _imageA, "--to", _imageB, "--steps", "4", "--out", output],
            "encode" => ["encode", "--model", model, "--in", _imageA, _imageB, "--format", "csv", "--out", output],
            "score" => ["score", "--model", model, "--in", _imageA, _imageB, "--samples", "8", "--format", "csv", "--out", output],
            "calibrate" => ["calibrate", "--model", model, "--in", _imageA, _imageB, "--samples", "8"],
            _ => throw new ArgumentOutOfRangeException(nameof(c), c.Command, "unknown command"),
        };

        var result = CliRunner.Run(args);
        if (c.ExpectFailure)
        {
            result.AssertOneLineError("decoder.onnx", c.Kind == NonFiniteKind.NaN ? "NaN" : "infinity", "re-export");
            Assert.That(result.ExitCode, Is.EqualTo(1), "a model fault is the user's to fix (exit 1), not a bug (70)");
            Assert.That(File.Exists(output), Is.False, "no output file");
            if (c.Command == "calibrate")
                Assert.That(File.Exists(Path.Combine(model, VaeContract.CalibrationFileName)), Is.False, "no calibration.json");
            return;
        }
        TestContext.Out.WriteLine(result.Output + result.Error);
        Assert.That(result.ExitCode, Is.Zero, result.Error);
        string written = c.Command == "calibrate" ? File.ReadAllText(Path.Combine(model, VaeContract.CalibrationFileName)) : File.ReadAllText(output);
        Assert.That(written, Does.Not.Contain("NaN").And.Not.Contain("Infinity").And.Not.Contain("∞"), "every number finite");
    }

    public static IEnumerable<TestCaseData> Magnitudes()
    {
        foreach (string value in new[] { "3.4028235e38", "-3.4028235e38", "1e30", "-1e30", "1e10", "-1e10", "10000.001", "-10000.001" })
            yield return new TestCaseData(value, false).SetName($"decode --z with {value} is refused naming the bound");
        foreach (string value in new[] { "10000", "-10000", "2.5" })
            yield return new TestCaseData(value, true).SetName($"decode --z with {value} decodes");
    }

    [TestCaseSource(nameof(Magnitudes))]
    public void Decode_applies_the_one_latent_bound(string value, bool accepted)
    {
        var toy = ToyVae.Create(seed: 9);
        string model = toy.Write(_folder.File($"bounded-{Guid.NewGuid():N}"));
        string zFile = _folder.File($"z-{Guid.NewGuid():N}.csv");
        File.WriteAllText(zFile, $"0,{value},0,1\n");
        string output = _folder.File($"decoded-{Guid.NewGuid():N}.png");

        var result = CliRunner.Run("decode", "--model", model, "--z", zFile, "--out", output);
        if (accepted)
        {
            Assert.That(result.ExitCode, Is.Zero, result.Error);
            Assert.That(File.Exists(output), Is.True);
            return;
        }
        string bound = VaeModel.MaxLatentMagnitude.ToString("G", CultureInfo.InvariantCulture);
        result.AssertOneLineError("z[1]", $"±{bound}");
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(File.Exists(output), Is.False);
    }

    private string WritePng(string name, int seed)
    {
        var random = new Random(seed);
        var pixels = new byte[NonFiniteVae.Width * NonFiniteVae.Height];
        random.NextBytes(pixels);
        string path = _folder.File(name);
        File.WriteAllBytes(path, ImageFile.EncodePng(new PixelImage(NonFiniteVae.Width, NonFiniteVae.Height, 1, pixels)));
        return path;
    }
}
