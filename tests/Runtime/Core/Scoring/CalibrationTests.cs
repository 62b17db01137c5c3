// calibration.json: written and read back field for field; every way a file can be unusable gets a CalibrationException
// that names the file and says to run calibrate again; a calibration of other model files is detected by hash. The
// file's names are snake_case (the contract's policy for files); a file written the old camelCase way still loads.
using System.Text;
using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.Scoring;
using VaeOnnx.Tests.Support;

namespace VaeOnnx.Tests.Runtime.Core.Scoring;

[TestFixture]
public sealed class CalibrationTests
{
    private TemporaryFolder _folder = null!;
    private LinearVae _vae = null!;
    private string _modelFolder = null!;

    [SetUp]
    public void WriteModel()
    {
        _folder = new TemporaryFolder("vaeonnx-calibration");
        _vae = LinearVae.Random(latentSize: 2, channels: 1, height: 3, width: 3, seed: 3);
        _modelFolder = _vae.Write(_folder.File("model"));
    }

    [TearDown]
    public void DeleteFolder() => _folder.Dispose();

    private ScoreCalibration Calibrate()
    {
        using var model = VaeModel.Load(_modelFolder);
        return ScoreCalibration.FromScores(model, [10.5, 12.25, 11, 30, 9.75], ScoreKind.NegativeLogLikelihood, samples: 32, seed: 9, percentile: 90);
    }

    [Test]
    public void Calibration_round_trips_through_the_file()
    {
        var calibration = Calibrate();
        var path = calibration.Save(_modelFolder);
        var loaded = ScoreCalibration.TryLoad(_modelFolder);

        TestContext.Out.WriteLine(File.ReadAllText(path));
        Assert.That(path, Is.EqualTo(Path.Combine(Path.GetFullPath(_modelFolder), "calibration.json")));
        Assert.That(loaded, Is.EqualTo(calibration));
        Assert.That(calibration.Threshold, Is.EqualTo(30 - 0.4 * (30 - 12.25)).Within(1e-12), "90th percentile of 5 values: h = 3.6");
        Assert.That(calibration.Mean, Is.EqualTo(14.7).Within(1e-12));
        Assert.That((calibration.Min, calibration.Max, calibration.Count), Is.EqualTo((9.75, 30.0, 5)));
        Assert.That(calibration.IsAnomalous(calibration.Threshold), Is.False, "the threshold itself is not above the threshold");
        Assert.That(calibration.IsAnomalous(calibration.Threshold + 1e-9), Is.True);
        Assert.That(Directory.GetFiles(_modelFolder).Select(Path.GetFileName), Is.EquivalentTo(new[] { "encoder.onnx", "decoder.onnx", "calibration.json" }),
            "no temporary file is left behind");
        Assert.DoesNotThrow(() => loaded!.CheckMatches(_modelFolder));
        Assert.That(ScoreCalibration.TryLoad(_folder.Path), Is.Null, "no file, no calibration");
    }

    [Test]
    public void Field_names_are_snake_case_and_the_old_camelCase_file_still_loads()
    {
        var calibration = Calibrate() with { CreatedUtc = new DateTimeOffset(2025, 11, 30, 12, 0, 0, TimeSpan.Zero) };
        var written = Encoding.UTF8.GetString(calibration.ToJson());
        using (var document = System.Text.Json.JsonDocument.Parse(written))
        {
            var names = document.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
            Assert.That(names, Has.All.Matches("^[a-z0-9]+(_[a-z0-9]+)*$"), written);
            Assert.That(names, Does.Contain("score_kind").And.Contain("encoder_sha256").And.Contain("created_utc"));
        }

        // Exactly as ScoreCalibration.ToJson wrote it before the file policy (commit abea330).
        var (encoder, decoder) = ScoreCalibration.HashModel(_modelFolder);
        var legacy = $$"""
            {
              "format": "vaeonnx.calibration",
              "version": 1,
              "scoreKind": "nll",
              "samples": 32,
              "seed": 9,
              "percentile": 90,
              "threshold": {{calibration.Threshold.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}},
              "count": 5,
              "mean": {{calibration.Mean.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}},
              "std": {{calibration.StandardDeviation.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}},
              "min": 9.75,
              "max": 30,
              "encoderSha256": "{{encoder}}",
              "decoderSha256": "{{decoder}}",
              "createdUtc": "2025-11-30T12:00:00.0000000+00:00"
            }
            """;
        File.WriteAllText(ScoreCalibration.PathIn(_modelFolder), legacy);
        var loaded = ScoreCalibration.TryLoad(_modelFolder)!;
        Assert.That(loaded, Is.EqualTo(calibration));
        Assert.DoesNotThrow(() => loaded.CheckMatches(_modelFolder));
    }

    private static IEnumerable<TestCaseData> CorruptFiles()
    {
        yield return new TestCaseData("{ not json", "is not valid JSON").SetName("Corrupt calibration: not JSON");
        yield return new TestCaseData("[1, 2]", "not an object").SetName("Corrupt calibration: an array");
        yield return new TestCaseData("", "is not valid JSON").SetName("Corrupt calibration: empty file");
    }

    [TestCaseSource(nameof(CorruptFiles))]
    public void Unreadable_files_get_a_clear_error(string text, string expected)
    {
        File.WriteAllText(ScoreCalibration.PathIn(_modelFolder), text);
        var error = Assert.Throws<CalibrationException>(() => ScoreCalibration.TryLoad(_modelFolder))!;
        TestContext.Out.WriteLine(error.Message);
        Assert.That(error.Message, Does.Contain("calibration.json").And.Contain(expected).And.Contain("calibrate"));
    }

    [TestCase("\"threshold\"", "\"thresh\"", "lacks the field 'threshold'")]
    [TestCase("\"version\": 1", "\"version\": 7", "version 7")]
    [TestCase("\"score_kind\": \"nll\"", "\"score_kind\": \"mse\"", "Score kind 'mse' is unknown")]
    [TestCase("\"samples\": 32", "\"samples\": 0", "field 'samples' is 0")]
    [TestCase("\"samples\": 32", "\"samples\": \"32\"", "field 'samples' is a JSON string")]
    [TestCase("\"percentile\": 90", "\"percentile\": 190", "field 'percentile' is 190")]
    [TestCase("\"format\": \"vaeonnx.calibration\"", "\"format\": \"other\"", "has format 'other'")]
    [TestCase("\"mean\": 14.7", "\"mean\": 1e999", "field 'mean' is not a finite number")]
    public void Damaged_fields_get_a_clear_error(string original, string replacement, string expected)
    {
        var json = Encoding.UTF8.GetString(Calibrate().ToJson());
        Assert.That(json, Does.Contain(original), "the test edits a field that is written");
        File.WriteAllText(ScoreCalibration.PathIn(_modelFolder), json.Replace(original, replacement));

        var error = Assert.Throws<CalibrationException>(() => ScoreCalibration.TryLoad(_modelFolder))!;
        TestContext.Out.WriteLine(error.Message);
        Assert.That(error.Message, Does.Contain(expected).And.Contain("calibrate"));
    }

    [Test]
    public void A_calibration_of_other_model_files_is_stale()
    {
        Calibrate().Save(_modelFolder);
        _vae.DecoderBias[0] += 0.5f;
        _vae.WriteDecoder(Path.Combine(_modelFolder, "decoder.onnx"));

        var error = Assert.Throws<CalibrationException>(() => ScoreCalibration.TryLoad(_modelFolder)!.CheckMatches(_modelFolder))!;
        TestContext.Out.WriteLine(error.Message);
        Assert.That(error.Message, Does.Contain("stale").And.Contain("decoder.onnx").And.Not.Contain("encoder.onnx and"));
    }
}
