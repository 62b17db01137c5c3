// decode --z with a bad latent file: every error is one line that names the file, echoes at most a few hundred
// characters of what it found (a 200 KB line, 5 KB of binary), gives JSON faults their line and column, and calls
// an empty file empty. No output file is written.
using VaeOnnx.Runtime.Core.Text;

namespace VaeOnnx.Tests.Runtime.Host.Cli;

[TestFixture]
public sealed class LatentFileMessageTests : ToyModelFixture
{
    private CliResult Decode(string name, byte[] content)
    {
        string z = Folder.File(name);
        File.WriteAllBytes(z, content);
        string output = Folder.File(name + ".png");
        var result = CliRunner.Run("decode", "--model", Model, "--z", z, "--out", output);
        Assert.That(File.Exists(output), Is.False, "no output after a failure");
        return result;
    }

    [Test]
    public void A_200_KB_line_is_echoed_capped()
    {
        var result = Decode("long.csv", System.Text.Encoding.ASCII.GetBytes("1,2,3," + new string('x', 200_000) + "\n"));
        result.AssertOneLineError("long.csv line 1", "not a number", "(200,000 characters)");
        Assert.That(result.ErrorLines[0], Has.Length.LessThan(UserText.MaxEcho + UserText.MaxPath + 200));
    }

    [Test]
    public void Binary_content_is_echoed_capped_with_control_characters_shown_safely()
    {
        var bytes = new byte[5000];
        new Random(3).NextBytes(bytes);
        bytes[0] = (byte)'1';
        var result = Decode("binary.csv", bytes);
        result.AssertOneLineError("binary.csv");
        Assert.That(result.ErrorLines[0], Has.Length.LessThan(UserText.MaxEcho + UserText.MaxPath + 200));
        Assert.That(result.ErrorLines[0].Any(c => char.IsControl(c)), Is.False);
    }

    [Test]
    public void A_json_error_names_the_file_and_the_position()
    {
        var result = Decode("broken.json", System.Text.Encoding.UTF8.GetBytes("{\"items\": [\n  {\"mu\": [1, 2,, 3]}\n]}"));
        result.AssertOneLineError("broken.json is not valid JSON", "line 2, column 16");
    }

    [Test]
    public void A_json_value_that_is_not_a_number_is_named()
    {
        var result = Decode("text.json", System.Text.Encoding.UTF8.GetBytes("{\"items\": [{\"mu\": [1, 2, \"three\", 4]}]}"));
        result.AssertOneLineError("text.json: item 0 mu[2] is \"three\", not a number");
    }

    [Test]
    public void An_empty_file_is_said_to_be_empty()
    {
        Decode("empty.csv", []).AssertOneLineError("empty.csv is empty");
    }
}
