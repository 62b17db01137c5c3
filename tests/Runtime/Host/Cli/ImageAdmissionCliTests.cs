// The image admission as the CLI's users meet it (issue 23): a file that never ends (/dev/zero) is refused after the
// bound, not read until memory runs out; a GIF of thousands of frames is read as its first frame with a note; the EXIF
// orientation is applied, so `encode` of a rotated-and-tagged photo gives the mu of the upright picture, and the
// service gives the same; score, interpolate and calibrate take --resize and --grey as reconstruct does, so their
// "Pass --resize" advice can be followed; a truncated JPEG is "truncated", never a channel count; a header of no size
// is corrupt, never followed by "Pass --resize"; a decoder that contradicts its declared shape is one plain line.
using System.Net.Http.Headers;
using System.Text.Json;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using VaeOnnx.Runtime.Core;
using VaeOnnx.Tests.Runtime.AspNetCore;
using VaeOnnx.Tests.Runtime.Core.Imaging;
using VaeOnnx.Tests.Support;

namespace VaeOnnx.Tests.Runtime.Host.Cli;

[TestFixture]
public sealed class ImageAdmissionCliTests : ToyModelFixture
{
    // The toy model takes 6 × 5 (H × W) grey images.
    private string _upright = null!;
    private string _tagged = null!;

    [OneTimeSetUp]
    public void WriteFixtures()
    {
        using var upright = SampleImages.Picture(5, 6, grey: true, seed: 21);
        _upright = Folder.File("upright.png");
        File.WriteAllBytes(_upright, SampleImages.Encode(upright, new PngEncoder { ColorType = PngColorType.Grayscale }));
        // Stored turned 90° anticlockwise (6 wide, 5 tall) and tagged orientation 6 ("turn 90° clockwise to show"): a
        // camera's portrait photo. Shown as a browser shows it, it is the upright picture.
        using var stored = upright.Clone(x => x.Rotate(RotateMode.Rotate270));
        stored.Metadata.ExifProfile = new ExifProfile();
        stored.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6);
        _tagged = Folder.File("tagged.png");
        File.WriteAllBytes(_tagged, SampleImages.Encode(stored, new PngEncoder { ColorType = PngColorType.Grayscale }));
    }

    [Test]
    public void A_file_that_never_ends_is_one_line_not_an_out_of_memory_crash()
    {
        var result = CliRunner.Run("reconstruct", "--model", Model, "--in", "/dev/zero", "--out", Folder.File("zero.png"));

        result.AssertOneLineError("/dev/zero", "more than 256 MiB", "device or pipe");
        Assert.That(result.ExitCode, Is.EqualTo(1));
    }

    [Test]
    public void A_gif_of_thousands_of_frames_is_read_as_its_first_frame_with_a_note()
    {
        using var first = SampleImages.Picture(5, 6, grey: true, seed: 22);
        string gif = Folder.File("frames.gif");
        File.WriteAllBytes(gif, SampleImages.GifWithExtraFrames(first, 3000));

        var result = CliRunner.Run("encode", "--model", Model, "--in", gif);

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.ErrorLines, Is.EqualTo(new[] { $"note: {gif} holds 3001 frames; only the first is read." }));
    }

    [Test]
    public async Task The_exif_orientation_is_applied_and_the_cli_and_the_service_agree()
    {
        float[] upright = Mu(CliRunner.Run("encode", "--model", Model, "--in", _upright));
        float[] tagged = Mu(CliRunner.Run("encode", "--model", Model, "--in", _tagged));

        await using var service = await ServingApp.StartAsync(Model);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/encode") { Content = new ByteArrayContent(File.ReadAllBytes(_tagged)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        using var response = await service.Client.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), body);
        float[] served = JsonDocument.Parse(body).RootElement.GetProperty("mu").EnumerateArray().Select(v => v.GetSingle()).ToArray();

        Assert.That(tagged, Is.EqualTo(upright), "the tagged file encodes as the upright picture");
        Assert.That(served, Is.EqualTo(tagged).Within(1e-6f), "the service applies the orientation as the CLI does");
    }

    [TestCase("score")]
    [TestCase("calibrate")]
    [TestCase("interpolate")]
    public void Score_calibrate_and_interpolate_take_resize_and_grey_as_their_advice_says(string command)
    {
        using var colour = SampleImages.Picture(10, 12, seed: 23);
        string big = Folder.File($"big-{command}.png");
        File.WriteAllBytes(big, SampleImages.Encode(colour, new PngEncoder()));
        string[] inputs = command == "interpolate" ? ["--from", big, "--to", big, "--out", Folder.File($"{command}.png")] : ["--in", big, "--samples", "2"];

        var refused = CliRunner.Run([command, "--model", Model, .. inputs]);
        refused.AssertOneLineError("is 12×10 (H×W) pixels; this model takes 6×5 (H×W) images. Pass --resize to scale it.");

        var resized = CliRunner.Run([command, "--model", Model, .. inputs, "--resize", "bilinear"]);
        resized.AssertOneLineError("RGB", "Convert it to greyscale first");

        var admitted = CliRunner.Run([command, "--model", Model, .. inputs, "--resize", "bilinear", "--grey"]);
        Assert.That(admitted.ExitCode, Is.Zero, admitted.Error);
        File.Delete(Path.Combine(Model, "calibration.json"));
    }

    [Test]
    public void A_truncated_jpeg_is_truncated_not_a_channel_count()
    {
        using var picture = SampleImages.Picture(5, 6, grey: true, seed: 24);
        byte[] jpeg = SampleImages.Encode(picture, new JpegEncoder { Quality = 95 });
        string cut = Folder.File("cut.jpg");
        File.WriteAllBytes(cut, jpeg[..(jpeg.Length * 3 / 4)]);

        var result = CliRunner.Run("encode", "--model", Model, "--in", cut);

        result.AssertOneLineError(cut, "truncated");
        Assert.That(result.Error, Does.Not.Contain("channels").And.Not.Contain("Flatten"));
    }

    [TestCase(5, 0)]
    [TestCase(0, 6)]
    [TestCase(-1, -1)]
    [TestCase(int.MinValue, 6)]
    public void A_header_of_no_size_is_corrupt_and_never_followed_by_resize_advice(int width, int height)
    {
        string empty = Folder.File($"no-size-{(uint)width:x}-{(uint)height:x}.png");
        File.WriteAllBytes(empty, new PngFileBuilder().Ihdr(width, height, 8, 0).Chunk("IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]).Chunk("IEND", []).Build());

        var result = CliRunner.Run("encode", "--model", Model, "--in", empty);

        result.AssertOneLineError(empty);
        Assert.That(result.ErrorLines[0], Does.Contain("which no image has").Or.Contain("corrupt").Or.Contain("truncated"));
        Assert.That(result.Error, Does.Not.Contain("--resize").And.Not.Contain("-1×").And.Not.Contain("2147483648"));
    }

    [Test]
    public void A_decoder_that_contradicts_its_declared_shape_is_one_plain_line()
    {
        var toy = ToyVae.Create(latentSize: 4, channels: 1, height: 6, width: 5, seed: 5);
        string folder = Folder.File("contradicting");
        toy.Write(folder);
        toy.WriteDecoder(Path.Combine(folder, VaeContract.DecoderFileName), declaredImage: (1, 6, 6));

        var result = CliRunner.RunProcess(new Dictionary<string, string?>(), null, "info", "--model", folder);

        result.AssertOneLineError("decoder.onnx declares dimension 3 (counting from 0) of 'image' as 6, but its graph computes 5");
        Assert.That(result.Error, Does.Not.Contain("\u001b["), "no ONNX Runtime log lines with terminal colours");
    }

    private static float[] Mu(CliResult result)
    {
        Assert.That(result.ExitCode, Is.Zero, result.Error);
        return JsonDocument.Parse(result.Output).RootElement.GetProperty("items")[0].GetProperty("mu").EnumerateArray().Select(v => v.GetSingle()).ToArray();
    }
}
