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
    public void Bytes_that_are_not_text_are_said_to_be_so_never_echoed()
    {
        byte[] bytes = [(byte)'1', (byte)',', 0xFF, 0xFE, 0xC3, 0x28, (byte)'\n'];

        var result = Decode("latin.csv", bytes);

        result.AssertOneLineError("latin.csv is not text: byte 2 is not UTF-8");
        Assert.That(result.ErrorLines[0], Does.Not.Contain("\uFFFD").And.Not.Contain("'"));
        Decode("zeros.csv", [(byte)'1', 0, 0, (byte)'2']).AssertOneLineError("zeros.csv is not text: byte 1 is a zero byte");
    }

    [Test]
    public void A_deeply_nested_json_array_is_reported_as_json_not_as_a_csv_value()
    {
        var deep = Decode("deep.json", System.Text.Encoding.ASCII.GetBytes(new string('[', 5000) + new string(']', 5000)));
        deep.AssertOneLineError("deep.json is not valid JSON: line 1, column 65", "maximum configured depth");
        Assert.That(deep.ErrorLines[0], Does.Not.Contain("not a number"));

        Decode("array.json", "[[0.1, 0.2, 0.3, 0.4]]"u8.ToArray()).AssertOneLineError("array.json is a JSON array; expected a JSON object with an \"items\" array");
    }

    [Test]
    public void An_empty_file_is_said_to_be_empty()
    {
        Decode("empty.csv", []).AssertOneLineError("empty.csv is empty");
    }
}
