// `runtime serve` fails fast and in one line when it cannot serve: a missing model folder, an invalid limit, or a model
// that does not load (the service starts, the background load fails, the host stops and the command exits 1).
// Serving itself is tested in tests/Runtime/AspNetCore.
namespace VaeOnnx.Tests.Runtime.Host.Cli;

[TestFixture]
public sealed class ServeCommandTests
{
    [Test]
    public void A_missing_model_folder_is_one_line()
    {
        var result = CliRunner.Run("serve", "--model", Path.Combine(Path.GetTempPath(), $"no-such-model-{Guid.NewGuid():N}"));
        result.AssertOneLineError("does not exist");
    }

    [Test]
    public void An_invalid_limit_is_one_line_naming_it()
    {
        var result = CliRunner.Run("serve", "--model", Path.GetTempPath(), "--max-count", "0", "--urls", "http://127.0.0.1:0");
        result.AssertOneLineError("MaxCount is 0");
    }

    [Test]
    public void A_model_that_fails_to_load_stops_the_service_with_exit_code_1()
    {
        string empty = Path.Combine(Path.GetTempPath(), $"vaeonnx-empty-model-{Guid.NewGuid():N}");
        Directory.CreateDirectory(empty);
        try
        {
            var result = CliRunner.Run("serve", "--model", empty, "--urls", "http://127.0.0.1:0");
            result.AssertOneLineError("The model failed to load: Model folder", "has no encoder.onnx or decoder.onnx");
            Assert.That(result.Error, Does.Not.Contain("the log above"), "the line says why itself");
            Assert.That(result.ExitCode, Is.EqualTo(1));
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }
}
