// Every path option given the wrong kind of path says so and what it expects, in one line: a folder given where a file
// is read (--in of reconstruct/encode/interpolate's --from, --z, --config), a file given as --model, a folder as --out.
// They used to be reported as "does not exist", which sends the user looking for the wrong problem.

namespace VaeOnnx.Tests.Runtime.Host.Cli;

[TestFixture]
public sealed class PathMessageTests : ToyModelFixture
{
    private string _image = null!;
    private string _aFolder = null!;

    [OneTimeSetUp]
    public void WriteFixtures()
    {
        _image = Folder.File("digit.png");
        VaeOnnx.Runtime.Core.Imaging.ImageFile.WritePng(new VaeOnnx.Runtime.Core.Imaging.PixelImage(5, 6, 1, new byte[30]), _image);
        _aFolder = Folder.File("a-folder");
        Directory.CreateDirectory(_aFolder);
    }

    [Test]
    public void A_folder_given_to_in_says_it_is_a_folder()
    {
        string output = Folder.File("recon.png");
        CliRunner.Run("reconstruct", "--model", Model, "--in", _aFolder, "--out", output).AssertOneLineError("a-folder is a folder, not an image file");
        CliRunner.Run("encode", "--model", Model, "--in", _aFolder).AssertOneLineError("is a folder, not an image file");
        CliRunner.Run("interpolate", "--model", Model, "--from", _aFolder, "--to", _image, "--out", output).AssertOneLineError("is a folder, not an image file");
        Assert.That(File.Exists(output), Is.False);
    }

    [Test]
    public void A_folder_given_to_z_says_it_is_a_folder_and_what_is_expected()
    {
        string output = Folder.File("decoded.png");
        CliRunner.Run("decode", "--model", Model, "--z", _aFolder, "--out", output)
            .AssertOneLineError("--z", "is a folder, not a file", "JSON or CSV file of latent vectors");
        Assert.That(File.Exists(output), Is.False);
    }

    [Test]
    public void A_file_given_to_model_says_it_is_a_file()
    {
        string output = Folder.File("sample.png");
        CliRunner.Run("sample", "--model", _image, "--out", output).AssertOneLineError("--model", "digit.png is a file, not a folder", "encoder.onnx and decoder.onnx");
        CliRunner.Run("serve", "--model", _image, "--urls", "http://127.0.0.1:0").AssertOneLineError("--model", "is a file, not a folder");
        Assert.That(File.Exists(output), Is.False);
    }

    [Test]
    public void A_folder_given_to_out_says_it_is_a_folder()
    {
        CliRunner.Run("sample", "--model", Model, "--out", _aFolder).AssertOneLineError("--out", "is a folder; give a file path inside it");
    }

    [Test]
    public void A_folder_given_to_config_says_it_is_a_folder()
    {
        CliRunner.Run("serve", "--model", Model, "--config", _aFolder, "--urls", "http://127.0.0.1:0").AssertOneLineError("--config", "is a folder, not a file");
    }

    [Test]
    public void A_missing_input_is_named_with_a_capped_path()
    {
        string missing = Folder.File(new string('n', 5000) + ".png");
        var result = CliRunner.Run("encode", "--model", Model, "--in", missing);
        result.AssertOneLineError("does not exist", "characters)");
        Assert.That(result.ErrorLines[0], Has.Length.LessThan(800));
    }
}
