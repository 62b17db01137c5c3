// The endpoints that give clients z and the latent map's data, against the library on the same model files:
// /v1/latents/sample equals VaeModel.SampleLatents and /v1/sample's JSON carries those z next to their images;
// /v1/latents/interpolate equals VaeModel.InterpolateLatents (both kinds) and /v1/interpolate decodes it (a PNG row by
// default, any layout by the query); /v1/latents/points is the model folder's latent-points.json with its
// PrincipalPlane, compressed when asked, 304 on revalidation, 404 without a file; /v1/examples/{name} answers the
// listed files only; /v1/model describes the card, map and examples; bad bodies and queries are 400s that say why;
// a corrupt or stale latent-points.json fails the model load.
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.Examples;
using VaeOnnx.Runtime.Core.Imaging;
using VaeOnnx.Runtime.Core.LatentMap;

namespace VaeOnnx.Tests.Runtime.AspNetCore.Endpoints;

[TestFixture]
public sealed class LatentEndpointTests
{
    private const int Latent = 4, Height = 8, Width = 6;
    private string _folder = "";
    private VaeModel _reference = null!;
    private ServingApp _app = null!;
    private LatentPoints _points = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _folder = ServingTestModel.Write(ServingTestModel.NewTempFolder("latents"), latent: Latent, height: Height, width: Width);
        var random = new Random(11);
        const int count = 60;
        var means = Enumerable.Range(0, count * Latent).Select(i => (float)(random.NextDouble() * 4 - 2) * (i % Latent + 1)).ToArray();
        _points = new LatentPoints(Latent, means, [.. Enumerable.Range(0, count).Select(i => i % 3)], [.. Enumerable.Range(0, count).Select(i => 2 * i)],
            ["a", "b", "c"], "random test points");
        _points.Save(_folder);
        var picture = new PixelImage(Width, Height, 1, [.. Enumerable.Range(0, Width * Height).Select(i => (byte)(i * 5))]);
        ModelExamples.Write(_folder, [("b", picture), ("a", picture)]);
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

    [TestCase(5, "42", 1f)]
    [TestCase(16, "18446744073709551615", 0.5f)]
    public async Task LatentsSampleGivesTheZSampleDecodes(int count, string seed, float temperature)
    {
        var (response, root) = await PostJsonAsync("/v1/latents/sample", $$"""{"count": {{count}}, "seed": "{{seed}}", "temperature": {{temperature}}}""");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        float[] expected = _reference.SampleLatents(count, ulong.Parse(seed), temperature).Values;
        Assert.That(Rows(root.GetProperty("z")), Is.EqualTo(expected), "the z are VaeModel.SampleLatents' exactly");
        Assert.That(response.Headers.GetValues("X-Vae-Seed").Single(), Is.EqualTo(seed));

        var (_, sample) = await PostJsonAsync("/v1/sample", $$"""{"count": {{count}}, "seed": "{{seed}}", "temperature": {{temperature}}}""", "application/json");
        Assert.That(Rows(sample.GetProperty("z")), Is.EqualTo(expected), "/v1/sample's JSON carries the z it decoded");
        float[] images = Rows(sample.GetProperty("images"));
        float[] reference = _reference.Decode(expected, count).Values;
        Assert.That(images.Zip(reference, (a, b) => Math.Abs(a - b)).Max(), Is.LessThanOrEqualTo(1e-6f));
    }

    [Test]
    public async Task AnEmptyBodySamplesOneZFromAServerSeed()
    {
        var (response, root) = await PostJsonAsync("/v1/latents/sample", "");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        ulong seed = ulong.Parse(response.Headers.GetValues("X-Vae-Seed").Single());
        Assert.That(Rows(root.GetProperty("z")), Is.EqualTo(_reference.SampleLatents(1, seed).Values));
    }

    [Test]
    public async Task SamplePngLayoutFollowsTheQuery()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/sample?columns=3&padding=0") { Content = Json("""{"count": 5, "seed": 3}""") };
        using var response = await _app.Client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var png = ImageFile.Decode(await response.Content.ReadAsByteArrayAsync());
        Assert.That((png.Width, png.Height), Is.EqualTo((3 * Width, 2 * Height)), "3 columns, 2 rows, no padding");
        float[] images = _reference.Sample(5, 3).Values;
        for (int n = 0; n < 5; n++)
        {
            var tile = ImageConversion.FromPlanar(images.AsSpan(n * Height * Width, Height * Width), 1, Height, Width);
            for (int y = 0; y < Height; y++)
                for (int x = 0; x < Width; x++)
                    Assert.That(png.Pixels[((n / 3) * Height + y) * png.Width + (n % 3) * Width + x], Is.EqualTo(tile.Pixels[y * Width + x]), $"tile {n} ({x}, {y})");
        }
    }

    [TestCase("linear")]
    [TestCase("spherical")]
    public async Task InterpolationIsTheLibrarysPathAndItsDecoding(string kind)
    {
        string body = $$"""{"from": [1, -2, 0.5, 3], "to": [-1, 0.25, 2, -3], "steps": 7, "kind": "{{kind}}"}""";
        float[] from = [1, -2, 0.5f, 3], to = [-1, 0.25f, 2, -3];
        var kindValue = kind == "linear" ? InterpolationKind.Linear : InterpolationKind.Spherical;
        float[] expected = _reference.InterpolateLatents(from, to, 7, kindValue).Values;

        var (response, path) = await PostJsonAsync("/v1/latents/interpolate", body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Rows(path.GetProperty("z")), Is.EqualTo(expected));
        Assert.That(path.GetProperty("kind").GetString(), Is.EqualTo(kind));

        var (_, decoded) = await PostJsonAsync("/v1/interpolate", body, "application/json");
        Assert.That(Rows(decoded.GetProperty("z")), Is.EqualTo(expected));
        float[] reference = _reference.Interpolate(from, to, 7, kindValue).Values;
        Assert.That(Rows(decoded.GetProperty("images")).Zip(reference, (a, b) => Math.Abs(a - b)).Max(), Is.LessThanOrEqualTo(1e-6f));

        using var png = await _app.Client.PostAsync("/v1/interpolate", Json(body));
        var strip = ImageFile.Decode(await png.Content.ReadAsByteArrayAsync());
        var padding = new ImageGridOptions().Padding;
        Assert.That((strip.Width, strip.Height), Is.EqualTo((7 * Width + 8 * padding, Height + 2 * padding)), "one row of 7 tiles by default");
    }

    [TestCase("/v1/latents/interpolate", """{"to": [0, 0, 0, 0]}""", "The field 'from' is missing")]
    [TestCase("/v1/latents/interpolate", """{"from": [0, 0, 0], "to": [0, 0, 0, 0]}""", "from has 3 values; this model's latent size is 4")]
    [TestCase("/v1/latents/interpolate", """{"from": [0, 0, 0, 0], "to": [0, 0, 0, 1e5]}""", "to[3]")]
    [TestCase("/v1/latents/interpolate", """{"from": [0, 0, 0, 0], "to": [0, 0, 0, 0], "steps": 1}""", "steps is 1; it must be from 2 to 8")]
    [TestCase("/v1/interpolate", """{"from": [0, 0, 0, 0], "to": [0, 0, 0, 0], "steps": 9}""", "steps is 9; it must be from 2 to 8")]
    [TestCase("/v1/interpolate", """{"from": [0, 0, 0, 0], "to": [0, 0, 0, 0], "kind": "cubic"}""", "kind is \"cubic\"; use \"linear\" or \"spherical\"")]
    [TestCase("/v1/interpolate", """{"from": [0, 0, 0, 0], "to": [0, 0, 0, 0], "kind": "1"}""", "kind is \"1\"")]
    [TestCase("/v1/interpolate", """{"from": [0, 0, 0, 0], "to": [0, 0, 0, 0], "speed": 2}""", "speed")]
    [TestCase("/v1/latents/sample", """{"count": 17}""", "count is 17; it must be from 1 to 16")]
    [TestCase("/v1/latents/sample", """{"temperature": 0}""", "temperature is 0")]
    [TestCase("/v1/decode?columns=0", """{"z": [[0, 0, 0, 0]]}""", "columns is '0'; use a whole number from 1 to 1")]
    [TestCase("/v1/decode?padding=17", """{"z": [[0, 0, 0, 0]]}""", "padding is '17'; use a whole number from 0 to 16")]
    [TestCase("/v1/sample?columns=x", """{"count": 2}""", "columns is 'x'")]
    public async Task BadRequestsAreRefusedWithWhy(string path, string body, string detail)
    {
        using var response = await _app.Client.PostAsync(path, Json(body));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        ProblemAssert.IsProblem(response, await response.Content.ReadAsStringAsync(), 400, detail);
    }

    [Test]
    public async Task PointsAreTheFileWithItsPrincipalPlane()
    {
        using var response = await _app.Client.GetAsync("/v1/latents/points");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentEncoding, Is.Empty, "no compression unless asked");
        using var json = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        var root = json.RootElement;
        var plane = PrincipalPlane.Of(_points.Means, _points.Count, Latent);
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("latentSize").GetInt32(), Is.EqualTo(Latent));
            Assert.That(root.GetProperty("count").GetInt32(), Is.EqualTo(_points.Count));
            Assert.That(Rows(root.GetProperty("points")), Is.EqualTo(_points.Means));
            Assert.That(root.GetProperty("labels").EnumerateArray().Select(l => l.GetInt32()), Is.EqualTo(_points.Labels));
            Assert.That(root.GetProperty("labelNames").EnumerateArray().Select(l => l.GetString()), Is.EqualTo(new[] { "a", "b", "c" }));
            var principal = root.GetProperty("principal");
            Assert.That(Rows(principal.GetProperty("first")), Is.EqualTo(plane.First));
            Assert.That(Rows(principal.GetProperty("second")), Is.EqualTo(plane.Second));
            Assert.That(Rows(principal.GetProperty("mean")), Is.EqualTo(plane.Mean));
            Assert.That(principal.GetProperty("totalVariance").GetDouble(), Is.EqualTo(plane.TotalVariance));
        });
    }

    [TestCase("gzip", "gzip")]
    [TestCase("br", "br")]
    [TestCase("gzip;q=0.5, br;q=0.9", "br")]
    [TestCase("br;q=0, gzip", "gzip")]
    [TestCase("*", "br")]
    [TestCase("identity", null)]
    public async Task PointsAreCompressedWhenAskedAndRevalidate(string acceptEncoding, string? expected)
    {
        using var plain = await _app.Client.GetAsync("/v1/latents/points");
        byte[] identity = await plain.Content.ReadAsByteArrayAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/latents/points");
        request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        using var response = await _app.Client.SendAsync(request);
        Assert.That(response.Content.Headers.ContentEncoding.SingleOrDefault(), Is.EqualTo(expected));
        Assert.That(response.Headers.Vary, Does.Contain("Accept-Encoding"));
        byte[] body = await response.Content.ReadAsByteArrayAsync();
        byte[] decoded = expected switch
        {
            "gzip" => Decompress(new GZipStream(new MemoryStream(body), CompressionMode.Decompress)),
            "br" => Decompress(new BrotliStream(new MemoryStream(body), CompressionMode.Decompress)),
            _ => body,
        };
        Assert.That(decoded, Is.EqualTo(identity));
        if (expected is not null) Assert.That(body.Length, Is.LessThan(identity.Length * 0.7), $"{expected}: {body.Length} of {identity.Length} bytes");

        using var again = new HttpRequestMessage(HttpMethod.Get, "/v1/latents/points");
        again.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        again.Headers.TryAddWithoutValidation("If-None-Match", response.Headers.ETag!.Tag);
        using var notModified = await _app.Client.SendAsync(again);
        Assert.That(notModified.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
    }

    [Test]
    public async Task ModelDescribesTheCardTheMapAndTheExamples()
    {
        using var response = await _app.Client.GetAsync("/v1/model");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        Assert.That(root.GetProperty("latentMap").GetProperty("points").GetInt32(), Is.EqualTo(60));
        Assert.That(root.GetProperty("latentMap").GetProperty("labelNames").GetArrayLength(), Is.EqualTo(3));
        Assert.That(root.GetProperty("examples").EnumerateArray().Select(e => e.GetProperty("name").GetString()), Is.EqualTo(new[] { "a.png", "b.png" }));
        Assert.That(root.GetProperty("examples")[0].GetProperty("label").GetString(), Is.EqualTo("a"));
        var card = root.GetProperty("card");
        Assert.That(card.GetProperty("architecture").ValueKind, Is.EqualTo(JsonValueKind.Null), "the test model does not say");
    }

    [Test]
    public void TheCardReadsTheContractsKeys()
    {
        var metadata = new VaeMetadata(1, 28, 28, 2, Likelihood.Gaussian, new Dictionary<string, string>
        {
            [VaeContract.ArchitectureKey] = "conv", [VaeContract.DatasetKey] = "mnist", [VaeContract.EpochsKey] = "10",
            [VaeContract.TestLossKey] = "101.5713", [VaeContract.GaussianSigmaKey] = "0.1", [VaeContract.ProducerVersionKey] = "1.2.3",
        });
        var card = VaeOnnx.Runtime.AspNetCore.Endpoints.ModelEndpoint.CardOf(metadata);
        Assert.That(card, Is.EqualTo(new VaeOnnx.Runtime.AspNetCore.Endpoints.ModelEndpoint.Card("conv", "mnist", 10, 101.5713, 0.1, "1.2.3")));
        var broken = VaeOnnx.Runtime.AspNetCore.Endpoints.ModelEndpoint.CardOf(
            new VaeMetadata(1, 28, 28, 2, Likelihood.Bernoulli, new Dictionary<string, string> { [VaeContract.EpochsKey] = "ten", [VaeContract.TestLossKey] = "NaN" }));
        Assert.That((broken.Epochs, broken.TestLoss), Is.EqualTo(((int?)null, (double?)null)));
    }

    [Test]
    public async Task ExamplesAreServedByListedNameOnly()
    {
        using var response = await _app.Client.GetAsync("/v1/examples/a.png");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/png"));
        Assert.That(await response.Content.ReadAsByteArrayAsync(), Is.EqualTo(File.ReadAllBytes(Path.Combine(_folder, "examples", "a.png"))));
        foreach (string name in new[] { "c.png", "..%2Fencoder.onnx", "%2E%2E%2Flatent-points.json" })
        {
            using var missing = await _app.Client.GetAsync($"/v1/examples/{name}");
            Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), name);
            Assert.That(missing.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        }
    }

    [Test]
    public async Task WithoutAPointsFileThePointsAre404AndTheMapEmpty()
    {
        string folder = ServingTestModel.Write(ServingTestModel.NewTempFolder("no-points"));
        try
        {
            await using var app = await ServingApp.StartAsync(folder);
            using var response = await app.Client.GetAsync("/v1/latents/points");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            ProblemAssert.IsProblem(response, await response.Content.ReadAsStringAsync(), 404, "has no latent-points.json; export the model with the VaeOnnx trainer");
            using var model = await app.Client.GetAsync("/v1/model");
            using var json = JsonDocument.Parse(await model.Content.ReadAsStringAsync());
            Assert.That(json.RootElement.GetProperty("latentMap").GetProperty("points").GetInt32(), Is.Zero);
            Assert.That(json.RootElement.GetProperty("examples").GetArrayLength(), Is.Zero);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestCase(false, "is not valid JSON")]
    [TestCase(true, "holds 3-dimensional points, but the model's latent size is 4")]
    public async Task AnUnusablePointsFileFailsTheLoadWithItsReason(bool otherLatentSize, string reason)
    {
        string folder = ServingTestModel.Write(ServingTestModel.NewTempFolder("bad-points"));
        try
        {
            if (otherLatentSize) new LatentPoints(3, new float[6], [0, 0], [0, 1], ["x"], "other model").Save(folder);
            else File.WriteAllText(LatentPoints.PathIn(folder), "{ broken");
            await using var app = await ServingApp.StartAsync(folder, o => o.StopOnLoadFailure = false, waitUntilReady: false);
            var error = Assert.ThrowsAsync<InvalidModelException>(() => app.Host.WhenReady.WaitAsync(TimeSpan.FromSeconds(30)))!;
            Assert.That(error.Message, Does.Contain(reason));
            Assert.That(app.Host.LoadFailed, Is.True);
            Assert.That(app.Logs.Lines, Has.Some.Contains("The model failed to load"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private async Task<(HttpResponseMessage Response, JsonElement Root)> PostJsonAsync(string path, string body, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json(body) };
        if (accept is not null) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        var response = await _app.Client.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        using var json = JsonDocument.Parse(text);
        return (response, json.RootElement.Clone());
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static float[] Rows(JsonElement element) => element.ValueKind == JsonValueKind.Array && element.GetArrayLength() > 0 && element[0].ValueKind == JsonValueKind.Array
        ? [.. element.EnumerateArray().SelectMany(row => row.EnumerateArray()).Select(v => v.GetSingle())]
        : [.. element.EnumerateArray().Select(v => v.GetSingle())];

    private static byte[] Decompress(Stream stream)
    {
        using (stream)
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            return buffer.ToArray();
        }
    }
}
