// Every endpoint of the service answers what VaeModel computes on the same model files: JSON floats equal the
// library's output, PNG answers decode to the library's output rendered by Imaging, content negotiation picks the
// format. The service and the reference are two separate loads of one random-weight model folder.
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.Imaging;
using VaeOnnx.Tests.Support;

using VaeOnnx.Tests.Runtime.AspNetCore.Metrics;

namespace VaeOnnx.Tests.Runtime.AspNetCore.Endpoints;

[TestFixture]
public sealed class ServingEndpointTests
{
    // Same library, same native runtime, same batch: the service should match VaeModel bit for bit; this leaves room
    // only for a different batch split inside ONNX Runtime.
    private const float Tolerance = 1e-6f;

    private string _folder = "";
    private VaeModel _reference = null!;
    private ServingApp _app = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _folder = ServingTestModel.Write(ServingTestModel.NewTempFolder("serving"));
        OnnxChecker.AssertValid(Path.Combine(_folder, "encoder.onnx"), Path.Combine(_folder, "decoder.onnx"));
        _reference = VaeModel.Load(_folder);
        _app = await ServingApp.StartAsync(_folder, o => { o.MaxBatch = 8; o.MaxCount = 16; });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _app.DisposeAsync();
        _reference.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public async Task Model_DescribesTheLoadedModel()
    {
        using var response = await _app.Client.GetAsync("/v1/model");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("channels").GetInt32(), Is.EqualTo(_reference.Metadata.Channels));
            Assert.That(root.GetProperty("height").GetInt32(), Is.EqualTo(8));
            Assert.That(root.GetProperty("width").GetInt32(), Is.EqualTo(6));
            Assert.That(root.GetProperty("latentSize").GetInt32(), Is.EqualTo(4));
            Assert.That(root.GetProperty("likelihood").GetString(), Is.EqualTo("bernoulli"));
            Assert.That(root.GetProperty("properties").GetProperty("vaeonnx.test_model").GetString(), Is.EqualTo("random weights"));
            Assert.That(root.GetProperty("limits").GetProperty("maxBatch").GetInt32(), Is.EqualTo(8));
        });
    }

    [Test]
    public async Task Decode_Json_EqualsVaeModelDecode()
    {
        float[] z = RandomLatents(3, seed: 11);
        using var response = await PostJsonAsync("/v1/decode", LatentBody(z, 3), "application/json");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
        float[] served = ReadImages(await response.Content.ReadAsStringAsync(), 3);
        AssertClose(_reference.Decode(z, 3).Values, served, "decode JSON vs VaeModel.Decode");
    }

    [Test]
    public async Task Decode_Png_IsTheGridOfVaeModelDecode()
    {
        float[] z = RandomLatents(5, seed: 12);
        using var response = await PostJsonAsync("/v1/decode", LatentBody(z, 5), "image/png");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("image/png"));
        var served = ImageFile.Decode(await response.Content.ReadAsByteArrayAsync());
        var expected = ImageGrid.FromPlanarBatch(_reference.Decode(z, 5).Values, 5, 1, 8, 6);
        AssertSameImage(expected, served);
    }

    [Test]
    public async Task Decode_OneVector_DefaultsToAPngOfTheModelSize()
    {
        float[] z = RandomLatents(1, seed: 13);
        using var response = await PostJsonAsync("/v1/decode", LatentBody(z, 1), accept: null);
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("image/png"));
        var served = ImageFile.Decode(await response.Content.ReadAsByteArrayAsync());
        Assert.That((served.Width, served.Height), Is.EqualTo((6, 8)), "PNG width x height must be the model's W x H");
        AssertSameImage(ImageConversion.FromPlanar(_reference.Decode(z, 1).Values, 1, 8, 6), served);
    }

    [TestCase("application/json", "application/json")]
    [TestCase("image/png", "image/png")]
    [TestCase("image/png;q=0.5, application/json", "application/json")]
    [TestCase("application/*;q=0.9, image/png;q=0.2", "application/json")]
    [TestCase("*/*", "image/png")]
    [TestCase("text/html, */*;q=0.1", "image/png")]
    public async Task Decode_HonoursAcceptQualities(string accept, string expected)
    {
        using var response = await PostJsonAsync("/v1/decode", LatentBody(RandomLatents(1, seed: 14), 1), accept);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo(expected));
    }

    [Test]
    public async Task Sample_Json_EqualsVaeModelSample()
    {
        using var response = await PostJsonAsync("/v1/sample", """{"count": 4, "seed": 99, "temperature": 0.7}""", "application/json");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.GetValues("X-Vae-Seed").Single(), Is.EqualTo("99"));
        float[] served = ReadImages(await response.Content.ReadAsStringAsync(), 4);
        AssertClose(_reference.Sample(4, 99, 0.7f).Values, served, "sample JSON vs VaeModel.Sample");
    }

    [Test]
    public async Task Sample_WithoutSeed_ReportsTheSeedItUsed()
    {
        using var response = await PostJsonAsync("/v1/sample", "{}", "application/json");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        ulong seed = ulong.Parse(response.Headers.GetValues("X-Vae-Seed").Single());
        float[] served = ReadImages(await response.Content.ReadAsStringAsync(), 1);
        AssertClose(_reference.Sample(1, seed, 1f).Values, served, $"sample JSON (server-chosen seed {seed}) vs VaeModel.Sample");
    }

    [Test]
    public async Task Sample_Png_IsTheGridOfVaeModelSample()
    {
        using var response = await PostJsonAsync("/v1/sample", """{"count": 16, "seed": "18446744073709551615"}""", "image/png");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var served = ImageFile.Decode(await response.Content.ReadAsByteArrayAsync());
        AssertSameImage(ImageGrid.FromPlanarBatch(_reference.Sample(16, ulong.MaxValue).Values, 16, 1, 8, 6), served);
    }

    [Test]
    public async Task Reconstruct_Png_IsVaeModelReconstructOfTheUpload()
    {
        var (png, planar) = RandomPng(seed: 21);
        using var response = await PostBytesAsync("/v1/reconstruct", png, "image/png", accept: null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var served = ImageFile.Decode(await response.Content.ReadAsByteArrayAsync());
        AssertSameImage(ImageConversion.FromPlanar(_reference.Reconstruct(planar, 1).Values, 1, 8, 6), served);
    }

    [Test]
    public async Task Reconstruct_Json_SampleMode_EqualsVaeModelReconstruct()
    {
        var (png, planar) = RandomPng(seed: 22);
        using var response = await PostBytesAsync("/v1/reconstruct?mode=sample&seed=5", png, "image/png", "application/json");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        float[] served = ReadImages(await response.Content.ReadAsStringAsync(), 1);
        AssertClose(_reference.Reconstruct(planar, 1, ReconstructionMode.Sampled, 5).Values, served, "reconstruct (sample, seed 5) vs VaeModel.Reconstruct");
    }

    [Test]
    public async Task Encode_Json_EqualsVaeModelEncode()
    {
        var (png, planar) = RandomPng(seed: 23);
        using var response = await PostBytesAsync("/v1/encode", png, "image/png", accept: null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var expected = _reference.Encode(planar, 1);
        Assert.That(json.RootElement.GetProperty("latentSize").GetInt32(), Is.EqualTo(4));
        AssertClose(expected.Mu, Floats(json.RootElement.GetProperty("mu")), "encode mu vs VaeModel.Encode");
        AssertClose(expected.LogVar, Floats(json.RootElement.GetProperty("logvar")), "encode logvar vs VaeModel.Encode");
    }

    [Test]
    public async Task Health_AndReadiness_AnswerOkOnceLoaded()
    {
        using var health = await _app.Client.GetAsync("/healthz");
        using var ready = await _app.Client.GetAsync("/readyz");
        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await ready.Content.ReadAsStringAsync(), Does.Contain("ready"));
    }

    [Test]
    public async Task Metrics_AreValidPrometheusTextAndCountRequests()
    {
        using (await PostJsonAsync("/v1/decode", LatentBody(RandomLatents(1, seed: 15), 1), "application/json")) { }
        using (await PostJsonAsync("/v1/decode", "{not json", "application/json")) { }
        using var response = await _app.Client.GetAsync("/metrics");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType!.ToString(), Does.StartWith("text/plain; version=0.0.4"));
        string text = await response.Content.ReadAsStringAsync();
        var samples = PrometheusTextReader.Parse(text);

        Assert.That(PrometheusTextReader.Value(samples, "vaeonnx_http_requests_total", ("endpoint", "/v1/decode"), ("method", "POST"), ("code", "2xx")), Is.GreaterThanOrEqualTo(1));
        Assert.That(PrometheusTextReader.Value(samples, "vaeonnx_http_requests_total", ("endpoint", "/v1/decode"), ("method", "POST"), ("code", "4xx")), Is.GreaterThanOrEqualTo(1));
        Assert.That(PrometheusTextReader.Value(samples, "vaeonnx_http_errors_total", ("endpoint", "/v1/decode"), ("status", "400")), Is.GreaterThanOrEqualTo(1));
        Assert.That(PrometheusTextReader.Value(samples, "vaeonnx_inference_in_flight"), Is.EqualTo(0));
        Assert.That(PrometheusTextReader.Value(samples, "vaeonnx_model_ready"), Is.EqualTo(1));
        Assert.That(PrometheusTextReader.Value(samples, "process_resident_memory_bytes"), Is.GreaterThan(0));
        double count = PrometheusTextReader.Value(samples, "vaeonnx_inference_duration_seconds_count", ("operation", "decode"));
        double infBucket = PrometheusTextReader.Value(samples, "vaeonnx_inference_duration_seconds_bucket", ("operation", "decode"), ("le", "+Inf"));
        Assert.That(count, Is.GreaterThanOrEqualTo(1));
        Assert.That(infBucket, Is.EqualTo(count), "the +Inf bucket of a histogram holds every observation");
        PrometheusTextReader.AssertBucketsCumulative(samples, "vaeonnx_inference_duration_seconds_bucket");
    }

    // ----- helpers -----

    private Task<HttpResponseMessage> PostJsonAsync(string path, string json, string? accept) =>
        PostBytesAsync(path, Encoding.UTF8.GetBytes(json), "application/json", accept);

    private async Task<HttpResponseMessage> PostBytesAsync(string path, byte[] body, string contentType, string? accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        return await _app.Client.SendAsync(request);
    }

    internal static float[] RandomLatents(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count * 4).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
    }

    internal static string LatentBody(float[] z, int count)
    {
        int latent = z.Length / count;
        var rows = Enumerable.Range(0, count).Select(n => z.Skip(n * latent).Take(latent).ToArray()).ToArray();
        return JsonSerializer.Serialize(new { z = rows });
    }

    internal static (byte[] Png, float[] Planar) RandomPng(int seed, int width = 6, int height = 8, int channels = 1)
    {
        var random = new Random(seed);
        var pixels = new byte[width * height * channels];
        random.NextBytes(pixels);
        var image = new PixelImage(width, height, channels, pixels);
        return (ImageFile.EncodePng(image), ImageConversion.ToPlanar(image, channels, height, width));
    }

    private static float[] ReadImages(string json, int expectedCount)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.That(root.GetProperty("count").GetInt32(), Is.EqualTo(expectedCount));
        Assert.That((root.GetProperty("channels").GetInt32(), root.GetProperty("height").GetInt32(), root.GetProperty("width").GetInt32()), Is.EqualTo((1, 8, 6)));
        var images = root.GetProperty("images");
        Assert.That(images.GetArrayLength(), Is.EqualTo(expectedCount));
        return images.EnumerateArray().SelectMany(Floats).ToArray();
    }

    internal static float[] Floats(JsonElement array) => array.EnumerateArray().Select(v => v.GetSingle()).ToArray();

    internal static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length), what);
        float largest = 0;
        for (int i = 0; i < expected.Length; i++) largest = Math.Max(largest, Math.Abs(expected[i] - actual[i]));
        TestContext.Out.WriteLine($"{what}: largest difference {largest:G3} over {expected.Length} values (tolerance {Tolerance:G3})");
        Assert.That(largest, Is.LessThanOrEqualTo(Tolerance), what);
    }

    private static void AssertSameImage(PixelImage expected, PixelImage actual)
    {
        Assert.That((actual.Width, actual.Height, actual.Channels), Is.EqualTo((expected.Width, expected.Height, expected.Channels)), "PNG size and channels");
        int differing = expected.Pixels.Zip(actual.Pixels).Count(p => p.First != p.Second);
        TestContext.Out.WriteLine($"PNG {actual.Width}x{actual.Height}x{actual.Channels}: {differing} of {expected.Pixels.Length} samples differ (tolerance 0)");
        Assert.That(differing, Is.Zero);
    }
}
