// The runtime CLI end to end on a toy model: each command's happy path, and every kind of bad input (missing or
// broken model, wrong or corrupt PNG, NaN latents or temperature, absurd counts, usage errors) failing with one
// "error:" line, a non-zero exit code, and no output file written (an existing one is left as it was).
using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Host.Cli;
using VaeOnnx.Runtime.Core.Imaging;
using VaeOnnx.Tests.Support;

using VaeOnnx.Runtime.Core.Inference;

namespace VaeOnnx.Tests.Runtime.Host.Cli;

[TestFixture]
public sealed class CliTests
{
    private TemporaryFolder _folder = null!;
    private ToyVae _toy = null!;
    private string _model = null!;
    private string _digit = null!;
    private string _other = null!;

    [OneTimeSetUp]
    public void WriteFixtures()
    {
        _folder = new TemporaryFolder("vaeonnx-cli");
        _toy = ToyVae.Create(latentSize: 4, channels: 1, height: 6, width: 5, seed: 5);
        _model = _toy.Write(_folder.File("model"));
        var wrongInputs = _folder.File("wrong-inputs");
        Directory.CreateDirectory(wrongInputs);
        _toy.WriteEncoder(Path.Combine(wrongInputs, "encoder.onnx"), inputName: "pixels");
        _toy.WriteDecoder(Path.Combine(wrongInputs, "decoder.onnx"));
        OnnxChecker.AssertValid(Directory.GetFiles(_folder.Path, "*.onnx", SearchOption.AllDirectories));
        _digit = WriteGrey("digit.png", 5, 6, seed: 1);
        _other = WriteGrey("other.png", 5, 6, seed: 2);
    }

    [OneTimeTearDown]
    public void Cleanup() => _folder.Dispose();

    [Test]
    public void Info_lists_metadata_graphs_and_providers()
    {
        var result = CliRunner.Run("info", "--model", _model);

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Output, Does.Contain("latent size:  4").And.Contain("z: float [N, 4]").And.Contain("vaeonnx.dataset = toy")
            .And.Contain("onnxruntime:  1.31.0").And.Contain("CPUExecutionProvider"));
    }

    [Test]
    public void Sample_writes_a_grid_of_the_requested_count()
    {
        var output = _folder.File("samples.png");

        var result = CliRunner.Run("sample", "--model", _model, "--count", "6", "--seed", "3", "--columns", "3", "--scale", "1", "--out", output);

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        var grid = ImageFile.Read(output);
        // 3 columns x 2 rows of 5x6 tiles, 2 pixels of padding around and between.
        Assert.That((grid.Width, grid.Height), Is.EqualTo((2 + 3 * (5 + 2), 2 + 2 * (6 + 2))));
    }

    [Test]
    public void Sample_of_one_image_writes_it_bare_at_the_model_size()
    {
        var output = _folder.File("one.png");

        var result = CliRunner.Run("sample", "--model", _model, "--count", "1", "--seed", "9", "--out", output);

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        var image = ImageFile.Read(output);
        using var model = VaeModel.Load(_model);
        var expected = ImageConversion.FromPlanar(model.Sample(1, seed: 9).Values, 1, 6, 5);
        Assert.That((image.Width, image.Height, image.Channels), Is.EqualTo((5, 6, 1)));
        Assert.That(image.Pixels, Is.EqualTo(expected.Pixels));
    }

    [Test]
    public void Padding_and_scale_options_shape_the_grid_and_are_range_checked()
    {
        var output = _folder.File("padded.png");

        var result = CliRunner.Run("sample", "--model", _model, "--count", "4", "--columns", "2", "--scale", "3", "--padding", "0", "--out", output);

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        var grid = ImageFile.Read(output);
        Assert.That((grid.Width, grid.Height), Is.EqualTo((2 * 5 * 3, 2 * 6 * 3)));
        CliRunner.Run("sample", "--model", _model, "--padding", "-1", "--out", _folder.File("bad-padding.png")).AssertOneLineError("--padding is -1", "0 to 64");
        Assert.That(File.Exists(_folder.File("bad-padding.png")), Is.False);
    }

    [Test]
    public void Reconstruct_and_interpolate_write_their_grids()
    {
        var recon = _folder.File("recon.png");
        var interp = _folder.File("interp.png");

        var reconstruct = CliRunner.Run("reconstruct", "--model", _model, "--in", _digit, _other, "--scale", "1", "--out", recon);
        var interpolate = CliRunner.Run("interpolate", "--model", _model, "--from", _digit, "--to", _other, "--steps", "4",
            "--kind", "spherical", "--scale", "1", "--out", interp);

        Assert.That(reconstruct.ExitCode, Is.Zero, reconstruct.Error);
        Assert.That(interpolate.ExitCode, Is.Zero, interpolate.Error);
        // Two rows (one per input) of original | reconstruction under a title that may widen the picture.
        var pairs = ImageFile.Read(recon);
        Assert.That(pairs.Width, Is.GreaterThanOrEqualTo(2 + 2 * (5 + 2)));
        Assert.That(pairs.Height, Is.GreaterThan(2 + 2 * (6 + 2)));
        Assert.That(ImageFile.Read(interp).Width, Is.EqualTo(2 + 4 * (5 + 2)));
    }

    [Test]
    public void Encode_writes_the_model_latents_and_decode_reads_them_back()
    {
        var json = _folder.File("z.json");
        var csv = _folder.File("z.csv");
        var decoded = _folder.File("decoded.png");

        var toJson = CliRunner.Run("encode", "--model", _model, "--in", _digit, _other, "--out", json);
        var toCsv = CliRunner.Run("encode", "--model", _model, "--in", _digit, _other, "--format", "csv", "--out", csv);
        var back = CliRunner.Run("decode", "--model", _model, "--z", csv, "--out", decoded);

        Assert.That(toJson.ExitCode + toCsv.ExitCode + back.ExitCode, Is.Zero, toJson.Error + toCsv.Error + back.Error);
        using var model = VaeModel.Load(_model);
        var images = ImageConversion.ToPlanarBatch([(ImageFile.Read(_digit), "digit"), (ImageFile.Read(_other), "other")], 1, 6, 5);
        var mu = model.Encode(images, 2).Mu;
        Assert.That(LatentFile.Read(File.ReadAllText(json), 4, json).Z, Is.EqualTo(mu), "JSON round-trips floats exactly");
        Assert.That(LatentFile.Read(File.ReadAllText(csv), 4, csv).Z, Is.EqualTo(mu), "CSV round-trips floats exactly");
        Assert.That(File.ReadAllLines(csv)[0], Is.EqualTo("file,mu_0,mu_1,mu_2,mu_3,logvar_0,logvar_1,logvar_2,logvar_3"));
        Assert.That(File.Exists(decoded));
    }

    [Test]
    public void Encode_and_reconstruct_read_jpeg_and_resize_only_when_asked()
    {
        // A JPEG of the model's size: the CLI's latents equal the model's on the pixels ImageFile decodes from it.
        var jpeg = _folder.File("digit.jpg");
        using (var picture = SixLabors.ImageSharp.Image.Load(File.ReadAllBytes(_digit)))
        {
            SixLabors.ImageSharp.ImageExtensions.SaveAsJpeg(picture, jpeg);
        }
        // The digit at twice its size, each pixel a 2×2 block: box-resizing it back gives the digit's pixels exactly.
        var digit = ImageFile.Read(_digit);
        var doubled = new byte[10 * 12];
        for (int i = 0; i < doubled.Length; i++)
        {
            doubled[i] = (byte)digit.GetSample(i % 10 / 2, i / 10 / 2, 0);
        }
        var big = _folder.File("digit-x2.png");
        ImageFile.WritePng(new PixelImage(10, 12, 1, doubled), big);
        var fromJpeg = _folder.File("z-jpeg.json");
        var fromResized = _folder.File("z-resized.json");

        var jpegRun = CliRunner.Run("encode", "--model", _model, "--in", jpeg, "--out", fromJpeg);
        var resizedRun = CliRunner.Run("encode", "--model", _model, "--in", big, "--resize", "box", "--out", fromResized);
        var reconstructJpeg = CliRunner.Run("reconstruct", "--model", _model, "--in", jpeg, big, "--resize", "box", "--out", _folder.File("jpeg-recon.png"));
        var unresized = CliRunner.Run("encode", "--model", _model, "--in", big);

        Assert.That(jpegRun.ExitCode + resizedRun.ExitCode + reconstructJpeg.ExitCode, Is.Zero, jpegRun.Error + resizedRun.Error + reconstructJpeg.Error);
        using var model = VaeModel.Load(_model);
        var jpegPixels = ImageConversion.ToPlanar(ImageFile.Read(jpeg), 1, 6, 5);
        Assert.That(LatentFile.Read(File.ReadAllText(fromJpeg), 4, fromJpeg).Z, Is.EqualTo(model.Encode(jpegPixels, 1).Mu));
        var digitPixels = ImageConversion.ToPlanar(digit, 1, 6, 5);
        Assert.That(LatentFile.Read(File.ReadAllText(fromResized), 4, fromResized).Z, Is.EqualTo(model.Encode(digitPixels, 1).Mu));
        unresized.AssertOneLineError("digit-x2.png", "12×10 (H×W)", "--resize");
    }

    [Test]
    public void Encode_without_out_prints_json()
    {
        var result = CliRunner.Run("encode", "--model", _model, "--in", _digit);

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Output, Does.Contain("\"latent_size\": 4").And.Contain("\"mu\""));
    }

    [Test]
    public void A_missing_model_folder_is_one_line()
    {
        var output = _folder.File("missing-model.png");

        CliRunner.Run("sample", "--model", _folder.File("no-such-model"), "--out", output)
            .AssertOneLineError("does not exist", "encoder.onnx and decoder.onnx");

        Assert.That(File.Exists(output), Is.False);
    }

    [Test]
    public void A_model_file_that_is_not_onnx_is_one_line()
    {
        var folder = _folder.File("not-onnx");
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(_model, "encoder.onnx"), Path.Combine(folder, "encoder.onnx"));
        File.WriteAllText(Path.Combine(folder, "decoder.onnx"), "<html>not a model</html>");
        var output = _folder.File("not-onnx.png");

        CliRunner.Run("sample", "--model", folder, "--out", output).AssertOneLineError("decoder.onnx", "as an ONNX model");

        Assert.That(File.Exists(output), Is.False);
    }

    [Test]
    public void A_graph_with_the_wrong_inputs_is_one_line_naming_the_file()
    {
        var folder = _folder.File("wrong-inputs");
        var output = _folder.File("wrong-inputs.png");

        CliRunner.Run("sample", "--model", folder, "--out", output).AssertOneLineError("encoder.onnx", "one input 'image'", "pixels");

        Assert.That(File.Exists(output), Is.False);
    }

    [Test]
    public void A_png_of_the_wrong_size_or_channels_is_one_line()
    {
        var big = WriteGrey("big.png", 7, 7, seed: 3);
        var colour = _folder.File("colour.png");
        ImageFile.WritePng(new PixelImage(5, 6, 3, Enumerable.Range(0, 90).Select(i => (byte)(i * 7)).ToArray()), colour);
        var output = _folder.File("bad-png.png");

        CliRunner.Run("reconstruct", "--model", _model, "--in", _digit, big, "--out", output).AssertOneLineError("big.png", "7×7 (H×W)", "6×5");
        CliRunner.Run("reconstruct", "--model", _model, "--in", colour, "--out", output).AssertOneLineError("colour.png", "3 channels");

        Assert.That(File.Exists(output), Is.False);
    }

    [Test]
    public void A_corrupt_png_is_one_line_and_an_existing_output_is_kept()
    {
        var corrupt = _folder.File("corrupt.png");
        var bytes = File.ReadAllBytes(_digit);
        File.WriteAllBytes(corrupt, bytes.AsSpan(0, bytes.Length / 2).ToArray());
        var output = _folder.File("kept.json");
        File.WriteAllText(output, "earlier result");

        CliRunner.Run("encode", "--model", _model, "--in", corrupt, "--out", output).AssertOneLineError("corrupt.png");

        Assert.That(File.ReadAllText(output), Is.EqualTo("earlier result"));
        Assert.That(Directory.GetFiles(_folder.Path, ".kept.json.*"), Is.Empty, "no temporary file left behind");
    }

    [Test]
    public void A_missing_input_png_is_one_line()
    {
        CliRunner.Run("encode", "--model", _model, "--in", _folder.File("absent.png")).AssertOneLineError("absent.png", "does not exist");
    }

    [Test]
    public void Nan_latents_or_temperature_are_one_line()
    {
        var nanFile = _folder.File("nan.csv");
        File.WriteAllText(nanFile, "0.5,1,NaN,2\n");
        var output = _folder.File("nan.png");

        CliRunner.Run("decode", "--model", _model, "--z", nanFile, "--out", output).AssertOneLineError("z[2]", "NaN");
        CliRunner.Run("sample", "--model", _model, "--temperature", "nan", "--out", output).AssertOneLineError("--temperature is NaN");

        Assert.That(File.Exists(output), Is.False);
    }

    [Test]
    public void A_latent_file_of_the_wrong_size_is_one_line()
    {
        var shortFile = _folder.File("short.csv");
        File.WriteAllText(shortFile, "0.5,1,2\n");

        CliRunner.Run("decode", "--model", _model, "--z", shortFile, "--out", _folder.File("short.png"))
            .AssertOneLineError("has 3 values", "latent size is 4");
    }

    [TestCase("0")]
    [TestCase("-3")]
    [TestCase("100000")]
    public void An_absurd_count_is_one_line(string count)
    {
        var output = _folder.File($"count{count}.png");

        CliRunner.Run("sample", "--model", _model, "--count", count, "--out", output).AssertOneLineError("--count", "1 to 4096");

        Assert.That(File.Exists(output), Is.False);
    }

    [Test]
    public void Usage_errors_are_one_line_with_exit_code_2()
    {
        var missingOut = CliRunner.Run("sample", "--model", _model);
        var notANumber = CliRunner.Run("sample", "--model", _model, "--count", "many", "--out", _folder.File("x.png"));
        var badKind = CliRunner.Run("interpolate", "--model", _model, "--from", _digit, "--to", _other, "--kind", "cubic", "--out", _folder.File("y.png"));

        missingOut.AssertOneLineError("--out");
        notANumber.AssertOneLineError("many");
        badKind.AssertOneLineError("cubic");
        Assert.That(new[] { missingOut.ExitCode, notANumber.ExitCode, badKind.ExitCode }, Is.All.EqualTo(2));
    }

    [Test]
    public void An_output_folder_that_does_not_exist_is_one_line()
    {
        CliRunner.Run("sample", "--model", _model, "--out", _folder.File("no-folder/samples.png")).AssertOneLineError("does not exist");
    }

    [Test]
    public void Cuda_on_this_machine_is_one_line_unless_fallback_is_asked_for()
    {
        var output = _folder.File("cuda.png");

        CliRunner.Run("sample", "--model", _model, "--provider", "cuda", "--out", output).AssertOneLineError("CUDA", "OnnxRuntimeFlavor=Gpu");
        Assert.That(File.Exists(output), Is.False);

        var fallback = CliRunner.Run("info", "--model", _model, "--provider", "cuda", "--cpu-fallback");
        Assert.That(fallback.ExitCode, Is.Zero, fallback.Error);
        Assert.That(fallback.Output, Does.Contain("running on:   cpu (fallback:"));
    }

    [Test]
    public void Help_lists_every_command()
    {
        var result = CliRunner.Run("--help");

        Assert.That(result.ExitCode, Is.Zero);
        foreach (var command in new[] { "info", "sample", "reconstruct", "interpolate", "encode", "decode", "bench" })
        {
            Assert.That(result.Output, Does.Contain(command));
        }
    }

    [Test]
    public void A_missing_native_library_is_one_line_naming_it()
    {
        // The program's managed files without ORT's native library (runtimes/<rid>/native is left behind).
        using var bare = new TemporaryFolder("vaeonnx-no-ort");
        foreach (var file in Directory.GetFiles(AppContext.BaseDirectory))
        {
            File.Copy(file, bare.File(Path.GetFileName(file)));
        }

        var result = CliRunner.RunProcess(new Dictionary<string, string?> { ["LD_LIBRARY_PATH"] = null }, bare.Path, "info", "--model", _model);

        result.AssertOneLineError("onnxruntime", "native library");
    }

    private string WriteGrey(string name, int width, int height, int seed)
    {
        var random = new Random(seed);
        var pixels = new byte[width * height];
        random.NextBytes(pixels);
        var path = _folder.File(name);
        ImageFile.WritePng(new PixelImage(width, height, 1, pixels), path);
        return path;
    }
}
