// JsonErrors, the one wording of a JSON fault in a user's file: one-based line and column instead of System.Text.Json's
// zero-based "LineNumber: 0 | BytePositionInLine: 5." tail, the value's path, and no .NET type names ("could not be
// converted to System.Int32"); used for calibration.json, --z files, serve's configuration and the trainer's run files.
using System.Text.Json;
using VaeOnnx.Runtime.Core.Scoring;
using VaeOnnx.Runtime.Core.Text;
using VaeOnnx.Trainer.Training;

namespace VaeOnnx.Tests.Runtime.Core.Text;

public sealed class JsonErrorsTests
{
    private sealed class Settings
    {
        public int Epochs { get; init; }
    }

    [Test]
    public void A_syntax_error_gets_its_one_based_position_and_no_raw_tail()
    {
        var e = Assert.Catch<JsonException>(() => JsonDocument.Parse("{\"a\": 1,,}"));

        Assert.That(JsonErrors.Describe(e!), Does.StartWith("line 1, column 9: ").And.Not.Contain("LineNumber").And.Not.Contain("BytePositionInLine"));
    }

    [Test]
    public void A_value_of_the_wrong_kind_is_named_by_its_path_in_words()
    {
        var e = Assert.Catch<JsonException>(() => JsonSerializer.Deserialize<Settings>("{\"Epochs\": \"many\"}"));

        string line = JsonErrors.Describe(e!);

        TestContext.Out.WriteLine($"{e!.Message}\n-> {line}");
        Assert.That(line, Does.Contain("at $.Epochs").And.Contain("a whole number").And.Not.Contain("System.").And.Not.Contain("LineNumber"));
    }

    [Test]
    public void A_corrupt_calibration_and_a_corrupt_training_configuration_say_where_without_raw_positions()
    {
        var calibration = Assert.Throws<CalibrationException>(() => ScoreCalibration.Parse("{ not json"u8, "/models/m/calibration.json"));
        var config = Assert.Throws<TrainingConfigException>(() => TrainingConfig.FromJson("{\"epochs\": \"many\"}", "run/config.json"));

        foreach (string message in new[] { calibration!.Message, config!.Message })
        {
            TestContext.Out.WriteLine(message);
            Assert.That(message, Does.Contain("line 1, column").And.Not.Contain("LineNumber").And.Not.Contain("BytePositionInLine").And.Not.Contain("System."));
        }
    }
}
