// The `calibrate` and `score` commands end to end on a tiny model and PNG files: the happy path in every format, and
// the error cases: exit code 1 with one "error:" line, and no calibration.json written or destroyed by a failure.
using System.Text.Json;
using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Host.Cli;
using VaeOnnx.Runtime.Core.Imaging;
using VaeOnnx.Runtime.Core.Scoring;
using VaeOnnx.Tests.Runtime.Core.Scoring;
using VaeOnnx.Tests.Support;

namespace VaeOnnx.Tests.Runtime.Host.Cli;

[TestFixture]
public sealed class ScoreCliTests
{
    private TemporaryFolder _folder = null!;
    private LinearVae _vae = null!;
    private string _model = null!;
    private string _normal = null!;
    private string _odd = null!;

    [SetUp]
    public void WriteModelAndImages()
    {
        _folder = new TemporaryFolder("vaeonnx-score-cli");
        _vae = LinearVae.Random(latentSize: 2, channels: 1, height: 4, width: 4, seed: 8, scale: 1);
        _model = _vae.Write(_folder.File("model"));
        _normal = Directory.CreateDirectory(_folder.File("normal")).FullName;
        var random = new Random(1);
        for (int i = 0; i < 12; i++)
        {
            // Dim noise: the "normal" images of this test.
            var pixels = Enumerable.Range(0, 16).Select(_ => (float)(random.NextDouble() * 0.2)).ToArray();
            ImageFile.WritePng(ImageConversion.FromPlanar(pixels, 1, 4, 4), Path.Combine(_normal, $"n{i:D2}.png"));
        }
        _odd = _folder.File("bright.png");
        ImageFile.WritePng(ImageConversion.FromPlanar(Enumerable.Repeat(1f, 16).ToArray(), 1, 4, 4), _odd);
    }

    [TearDown]
    public void DeleteFolder() => _folder.Dispose();

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CliApp.CreateDefault().Run(args, output, error);
        TestContext.Out.WriteLine($"$ score-cli {string.Join(' ', args)}\n-> {code}\n{output}{error}");
        return (code, output.ToString(), error.ToString());
    }

    private static void AssertOneLineError((int Code, string Output, string Error) result, string expected)
    {
        Assert.That(result.Code, Is.EqualTo(CliCommand.UserError));
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1));
        Assert.That(lines[0], Does.StartWith("error: ").And.Contain(expected));
    }

    [Test]
    public void Calibrate_then_score_flags_the_odd_image()
    {
        var calibrate = Run("calibrate", "--model", _model, "--in", _normal, "--percentile", "100", "--samples", "8");
        Assert.That(calibrate.Code, Is.EqualTo(0), calibrate.Error);
        var calibration = ScoreCalibration.TryLoad(_model)!;
        Assert.That((calibration.Count, calibration.Samples, calibration.Kind, calibration.Percentile), Is.EqualTo((12, 8, ScoreKind.NegativeLogLikelihood, 100.0)));

        using (var model = VaeModel.Load(_model))
        {
            var images = ImageInputs.Load(Directory.GetFiles(_normal).Order(StringComparer.Ordinal).ToArray(), model.Metadata);
            double largest = model.Score(images, 12, samples: 8, seed: 0).Max(s => s.NegativeLogLikelihood);
            Assert.That(calibration.Threshold, Is.EqualTo(largest), "the 100th percentile is the largest normal score, scored the same way");
        }

        var table = Run("score", "--model", _model, "--in", _odd, Path.Combine(_normal, "n00.png"));
        Assert.That(table.Code, Is.EqualTo(0), table.Error);
        var rows = table.Output.Split('\n');
        Assert.That(rows.Single(r => r.StartsWith("bright.png", StringComparison.Ordinal)), Does.EndWith("ANOMALY"));
        Assert.That(rows.Single(r => r.StartsWith("n00.png", StringComparison.Ordinal)), Does.Not.Contain("ANOMALY"));

        var json = Run("score", "--model", _model, "--in", _odd, "--format", "json");
        using var document = JsonDocument.Parse(json.Output);
        var image = document.RootElement.GetProperty("images")[0];
        Assert.That(image.GetProperty("anomalous").GetBoolean(), Is.True);
        Assert.That(image.GetProperty("score").GetDouble(), Is.GreaterThan(calibration.Threshold));
        Assert.That(document.RootElement.GetProperty("samples").GetInt32(), Is.EqualTo(8), "the calibration's k is used");

        var csv = Run("score", "--model", _model, "--in", _normal, "--format", "csv", "--out", _folder.File("scores.csv"));
        Assert.That(csv.Code, Is.EqualTo(0), csv.Error);
        var lines = File.ReadAllLines(_folder.File("scores.csv"));
        Assert.That(lines, Has.Length.EqualTo(13));
        Assert.That(lines[0], Is.EqualTo("file,score,anomalous,nll,neg_elbo,reconstruction,kl,sampled_kl"));
        Assert.That(lines.Skip(1).All(l => l.Split(',')[2] == "false"), Is.True, "no normal image is above its own maximum");
    }

    [Test]
    public void Score_without_calibration_prints_scores_without_flags()
    {
        var result = Run("score", "--model", _model, "--in", _odd, "--samples", "4", "--kind", "elbo", "--format", "json");
        Assert.That(result.Code, Is.EqualTo(0), result.Error);
        using var document = JsonDocument.Parse(result.Output);
        Assert.That(document.RootElement.GetProperty("threshold").ValueKind, Is.EqualTo(JsonValueKind.Null));
        var image = document.RootElement.GetProperty("images")[0];
        Assert.That(image.GetProperty("anomalous").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(image.GetProperty("score").GetDouble(), Is.EqualTo(image.GetProperty("negativeElbo").GetDouble()));
    }

    [Test]
    public void Failed_calibrations_write_nothing_and_keep_the_previous_file()
    {
        AssertOneLineError(Run("calibrate", "--model", _model, "--in", _folder.File("missing")), "does not exist");
        Assert.That(File.Exists(ScoreCalibration.PathIn(_model)), Is.False);

        Assert.That(Run("calibrate", "--model", _model, "--in", _normal, "--samples", "2").Code, Is.EqualTo(0));
        var before = File.ReadAllBytes(ScoreCalibration.PathIn(_model));
        var wrongSize = _folder.File("wrong-size.png");
        ImageFile.WritePng(ImageConversion.FromPlanar(new float[25], 1, 5, 5), wrongSize);

        AssertOneLineError(Run("calibrate", "--model", _model, "--in", _normal, wrongSize), "wrong-size.png");
        AssertOneLineError(Run("calibrate", "--model", _model, "--in", _normal, "--percentile", "150"), "--percentile is 150");
        AssertOneLineError(Run("calibrate", "--model", _model, "--in", _normal, "--samples", "0"), "--samples is 0");
        AssertOneLineError(Run("calibrate", "--model", _folder.File("nowhere"), "--in", _normal), "does not exist");
        AssertOneLineError(Run("calibrate", "--model", _model, "--in", Directory.CreateDirectory(_folder.File("empty")).FullName), "holds no image files");
        Assert.That(File.ReadAllBytes(ScoreCalibration.PathIn(_model)), Is.EqualTo(before));
        Assert.That(Directory.GetFiles(_model), Has.Length.EqualTo(3), "no temporary files left in the model folder");
    }

    [Test]
    public void Score_refuses_unusable_calibrations_and_bad_options()
    {
        File.WriteAllText(ScoreCalibration.PathIn(_model), "{\"format\": \"vaeonnx.calibration\", \"version\": 1");
        AssertOneLineError(Run("score", "--model", _model, "--in", _odd), "calibration.json is not valid JSON");

        Assert.That(Run("calibrate", "--model", _model, "--in", _normal, "--samples", "3").Code, Is.EqualTo(0));
        AssertOneLineError(Run("score", "--model", _model, "--in", _odd, "--samples", "5"), "--samples 3");
        AssertOneLineError(Run("score", "--model", _model, "--in", _odd, "--kind", "elbo"), "--kind nll");

        _vae.MuBias[0] += 1;
        _vae.WriteEncoder(Path.Combine(_model, "encoder.onnx"));
        AssertOneLineError(Run("score", "--model", _model, "--in", _odd), "stale");

        File.Delete(ScoreCalibration.PathIn(_model));
        var outPath = _folder.File("no-such-folder/scores.json");
        AssertOneLineError(Run("score", "--model", _model, "--in", _odd, "--out", outPath), "does not exist");
        Assert.That(File.Exists(outPath), Is.False);
        AssertOneLineError(Run("score", "--model", _model, "--in", _odd, "--samples", "100001"), "--samples is 100001");
        Assert.That(Run("score", "--model", _model, "--in", _odd, "--format", "yaml").Code, Is.EqualTo(CliApp.UsageError));
    }
}
