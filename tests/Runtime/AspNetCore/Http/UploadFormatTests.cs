// Uploads in every format the core library reads (here JPEG and BMP besides PNG) reach the model exactly as the core
// library decodes them; with ResizeUploads an upload of another size is scaled with the named resampler, and without
// it the same upload is refused with a 400 naming both sizes. TGA is read when sent as image/x-tga (a PNG sent so is
// read as the PNG it is); a GIF, TIFF or WebP of many frames is read as its first frame, answered with X-Image-Note.
// The reference is VaeModel on the same model files, fed ImageFile's decoding of the same bytes, compared with
// ServingEndpointTests' tolerance.
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using VaeOnnx.Runtime.AspNetCore;
using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.Imaging;

using VaeOnnx.Tests.Runtime.AspNetCore.Endpoints;

namespace VaeOnnx.Tests.Runtime.AspNetCore.Http;

[TestFixture]
public sealed class UploadFormatTests
{
    private string _folder = "";
    private VaeModel _reference = null!;
    private ServingApp _plain = null!;
    private ServingApp _resizing = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _folder = ServingTestModel.Write(ServingTestModel.NewTempFolder("uploads"));
        _reference = VaeModel.Load(_folder);
        _plain = await ServingApp.StartAsync(_folder);
        _resizing = await ServingApp.StartAsync(_folder, o => o.ResizeUploads = "bilinear");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _plain.DisposeAsync();
        await _resizing.DisposeAsync();
        _reference.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [TestCase("image/jpeg")]
    [TestCase("image/bmp")]
    public async Task Encode_OfAnotherFormat_EqualsVaeModelEncodeOfItsDecodedPixels(string mediaType)
    {
        byte[] file = Encoded(RandomGrey(height: 8, width: 6, seed: 31), mediaType);
        float[] planar = ImageConversion.ToPlanar(ImageFile.Decode(file), 1, 8, 6);

        using var response = await PostAsync(_plain, "/v1/encode", file, mediaType);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        ServingEndpointTests.AssertClose(_reference.Encode(planar, 1).Mu, ServingEndpointTests.Floats(json.RootElement.GetProperty("mu")), $"encode mu of a {mediaType} upload");
    }

    [Test]
    public async Task A_tga_upload_decodes_and_a_png_sent_as_tga_is_read_by_content()
    {
        var image = RandomGrey(height: 8, width: 6, seed: 33);
        using var picture = Image.LoadPixelData<L8>(image.Pixels, image.Width, image.Height);
        using var stream = new MemoryStream();
        picture.SaveAsTga(stream);
        float[] planar = ImageConversion.ToPlanar(image, 1, 8, 6);
        float[] expected = _reference.Encode(planar, 1).Mu;

        foreach (var (name, bytes) in new[] { ("TGA", stream.ToArray()), ("PNG", ImageFile.EncodePng(image)) })
        {
            using var response = await PostAsync(_plain, "/v1/encode", bytes, "image/x-tga");
            string body = await response.Content.ReadAsStringAsync();
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{name} sent as image/x-tga: {body}");
            using var json = JsonDocument.Parse(body);
            ServingEndpointTests.AssertClose(expected, ServingEndpointTests.Floats(json.RootElement.GetProperty("mu")), $"encode mu of a {name} sent as image/x-tga");
        }
    }

    [TestCase("image/gif")]
    [TestCase("image/tiff")]
    [TestCase("image/webp")]
    public async Task A_file_of_many_frames_is_read_as_its_first_frame_and_the_answer_says_so(string mediaType)
    {
        using var first = Core.Imaging.SampleImages.Picture(6, 8, grey: true, seed: 34);
        byte[] file = mediaType switch
        {
            "image/gif" => Core.Imaging.SampleImages.GifWithExtraFrames(first, 5000),
            "image/tiff" => Core.Imaging.SampleImages.MultiPageTiff([(6, 8), .. Enumerable.Repeat((40, 3), 500)]),
            _ => Core.Imaging.SampleImages.AnimatedWebp(6, 8, 200, grey: true),
        };
        var still = ImageFile.Decode(file, name: "x");

        using var response = await PostAsync(_plain, "/v1/encode", file, mediaType);

        string body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        Assert.That(response.Headers.GetValues("X-Image-Note").Single(), Does.Match("^the uploaded image holds [0-9]+ (frames|pages); only the first is read\\.$"));
        using var json = JsonDocument.Parse(body);
        ServingEndpointTests.AssertClose(_reference.Encode(ImageConversion.ToPlanar(still, 1, 8, 6), 1).Mu,
            ServingEndpointTests.Floats(json.RootElement.GetProperty("mu")), $"encode mu of the first frame of a {mediaType} upload");
    }

    [Test]
    public async Task A_truncated_upload_is_a_400_saying_truncated_with_no_dotnet_text()
    {
        byte[] png = ImageFile.EncodePng(RandomGrey(height: 8, width: 6, seed: 35));
        using var picture = Image.LoadPixelData<L8>(RandomGrey(height: 8, width: 6, seed: 35).Pixels, 6, 8);
        using var jpeg = new MemoryStream();
        picture.SaveAsJpeg(jpeg);

        foreach (var (bytes, mediaType) in new[] { (png[..(png.Length - 20)], "image/png"), (jpeg.ToArray()[..(int)(jpeg.Length * 2 / 3)], "image/jpeg") })
        {
            using var response = await PostAsync(_plain, "/v1/encode", bytes, mediaType);
            string problem = await response.Content.ReadAsStringAsync();
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), problem);
            Assert.That(problem, Does.Contain("truncated").And.Not.Contain("channels").And.Not.Contain("Object reference"));
        }
    }

    [Test]
    public async Task Reconstruct_OfALargerUpload_IsResizedWithTheNamedResamplerOnlyWhenTheServiceSaysSo()
    {
        byte[] png = ImageFile.EncodePng(RandomGrey(height: 16, width: 12, seed: 32));
        float[] resized = ImageConversion.ToPlanar(ImageFile.Decode(png, new ImageReadOptions { Resize = (8, 6), Resampler = "bilinear" }), 1, 8, 6);

        using var refused = await PostAsync(_plain, "/v1/reconstruct", png, "image/png", "application/json");
        string problem = await refused.Content.ReadAsStringAsync();
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem, Does.Contain("16×12 (H×W)").And.Contain("8×6 (H×W)").And.Contain("--resize-uploads"));

        using var response = await PostAsync(_resizing, "/v1/reconstruct", png, "image/png", "application/json");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        float[] served = json.RootElement.GetProperty("images").EnumerateArray().SelectMany(ServingEndpointTests.Floats).ToArray();
        ServingEndpointTests.AssertClose(_reference.Reconstruct(resized, 1).Values, served, "reconstruct of a 16×12 upload resized to 8×6 (bilinear)");
    }

    [Test]
    public void AnUnknownResampler_IsRefusedAtStartNamingTheChoices()
    {
        var options = new VaeServingOptions { ResizeUploads = "fancy" };
        var e = Assert.Throws<ArgumentException>(options.Validate);
        Assert.That(e!.Message, Does.Contain("ResizeUploads is 'fancy'").And.Contain("bicubic").And.Contain("lanczos3"));
    }

    private static PixelImage RandomGrey(int height, int width, int seed)
    {
        var pixels = new byte[height * width];
        new Random(seed).NextBytes(pixels);
        return new PixelImage(width, height, 1, pixels);
    }

    // JPEG and BMP bytes written by ImageSharp itself, so the service meets what any encoder of those formats writes.
    private static byte[] Encoded(PixelImage image, string mediaType)
    {
        using var picture = Image.LoadPixelData<L8>(image.Pixels, image.Width, image.Height);
        using var stream = new MemoryStream();
        if (mediaType == "image/jpeg") picture.SaveAsJpeg(stream);
        else picture.SaveAsBmp(stream);
        return stream.ToArray();
    }

    private static async Task<HttpResponseMessage> PostAsync(ServingApp app, string path, byte[] body, string contentType, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        return await app.Client.SendAsync(request);
    }
}
