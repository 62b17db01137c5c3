// POST /v1/score against VaeScorer.Score on the same model files: a PNG upload and a JSON batch give the library's
// numbers; a calibration.json in the model folder supplies the settings and the flags (and GET /v1/model shows it);
// bad requests get 400/415 problems that name the field; an unusable calibration fails the model load.
using System.Net;
using System.Text;
using System.Text.Json;
using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.Scoring;
using VaeOnnx.Runtime.AspNetCore.Endpoints;

namespace VaeOnnx.Tests.Runtime.AspNetCore.Endpoints;

[TestFixture]
public sealed class ScoreEndpointTests
{
    private const double Tolerance = 1e-9;

    private string _folder = "";
    private VaeModel _reference = null!;

    [OneTimeSetUp]
    public void WriteModel()
    {
        _folder = ServingTestModel.Write(ServingTestModel.NewTempFolder("serving-score"));
        _reference = VaeModel.Load(_folder);
    }

    [OneTimeTearDown]
    public void Cleanup()
    {
        _reference.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [TearDown]
    public void RemoveCalibration() => File.Delete(ScoreCalibration.PathIn(_folder));

    private static async Task<(HttpResponseMessage Response, string Body)> PostAsync(ServingApp app, string path, byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        var response = await app.Client.PostAsync(path, content);
        string text = await response.Content.ReadAsStringAsync();
        TestContext.Out.WriteLine($"POST {path} ({contentType}) -> {(int)response.StatusCode}: {(text.Length > 400 ? text[..400] + "..." : text)}");
        return (response, text);
    }

    private static string JsonBatch(float[] images, int count, int imageSize, string extra = "") =>
        "{\"images\": [" + string.Join(", ", Enumerable.Range(0, count).Select(n =>
            "[" + string.Join(", ", images.Skip(n * imageSize).Take(imageSize).Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + "]")) + "]" + extra + "}";

    private static void AssertScore(JsonElement served, ImageScore expected, ScoreKind kind)
    {
        Assert.That(served.GetProperty("score").GetDouble(), Is.EqualTo(expected.Value(kind)).Within(Tolerance));
        Assert.That(served.GetProperty("negativeLogLikelihood").GetDouble(), Is.EqualTo(expected.NegativeLogLikelihood).Within(Tolerance));
        Assert.That(served.GetProperty("negativeElbo").GetDouble(), Is.EqualTo(expected.NegativeElbo).Within(Tolerance));
        Assert.That(served.GetProperty("reconstruction").GetDouble(), Is.EqualTo(expected.Reconstruction).Within(Tolerance));
        Assert.That(served.GetProperty("kl").GetDouble(), Is.EqualTo(expected.Kl).Within(Tolerance));
    }

    [Test]
    public async Task Png_and_json_batches_score_like_VaeModel()
    {
        await using var app = await ServingApp.StartAsync(_folder, o => o.MaxBatch = 4);
        var (png, planar) = ServingEndpointTests.RandomPng(seed: 31);

        var (response, body) = await PostAsync(app, "/v1/score?samples=8&seed=3&kind=elbo", png, "image/png");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using (var json = JsonDocument.Parse(body))
        {
            var root = json.RootElement;
            Assert.That((root.GetProperty("scoreKind").GetString(), root.GetProperty("samples").GetInt32(), root.GetProperty("seed").GetUInt64()), Is.EqualTo(("elbo", 8, 3UL)));
            Assert.That(root.GetProperty("threshold").ValueKind, Is.EqualTo(JsonValueKind.Null));
            var score = root.GetProperty("scores")[0];
            Assert.That(score.GetProperty("anomalous").ValueKind, Is.EqualTo(JsonValueKind.Null));
            AssertScore(score, _reference.Score(planar, 1, samples: 8, seed: 3)[0], ScoreKind.NegativeElbo);
        }

        var random = new Random(4);
        var images = Enumerable.Range(0, 3 * 48).Select(_ => (float)random.NextDouble()).ToArray();
        (response, body) = await PostAsync(app, "/v1/score", Encoding.UTF8.GetBytes(JsonBatch(images, 3, 48)), "application/json");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using (var json = JsonDocument.Parse(body))
        {
            var expected = _reference.Score(images, 3, samples: ScoreSamples.Default, seed: 0);
            var scores = json.RootElement.GetProperty("scores");
            Assert.That(scores.GetArrayLength(), Is.EqualTo(3));
            for (int n = 0; n < 3; n++)
            {
                AssertScore(scores[n], expected[n], ScoreKind.NegativeLogLikelihood);
            }
        }
    }

    [Test]
    public async Task A_calibration_supplies_settings_and_flags()
    {
        var random = new Random(6);
        var normal = Enumerable.Range(0, 20 * 48).Select(_ => (float)(0.5 + 0.1 * random.NextDouble())).ToArray();
        var scores = _reference.Score(normal, 20, samples: 5, seed: 2).Select(s => s.NegativeLogLikelihood).ToArray();
        ScoreCalibration.FromScores(_reference, scores, ScoreKind.NegativeLogLikelihood, samples: 5, seed: 2, percentile: 50).Save(_folder);
        var calibration = ScoreCalibration.TryLoad(_folder)!;
        await using var app = await ServingApp.StartAsync(_folder);

        // The lowest- and the highest-scoring reference image: below and above their median, the threshold.
        int lowest = Array.IndexOf(scores, scores.Min()), highest = Array.IndexOf(scores, scores.Max());
        var test = new float[2 * 48];
        normal.AsSpan(lowest * 48, 48).CopyTo(test);
        normal.AsSpan(highest * 48, 48).CopyTo(test.AsSpan(48));
        var (response, body) = await PostAsync(app, "/v1/score", Encoding.UTF8.GetBytes(JsonBatch(test, 2, 48)), "application/json");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using (var json = JsonDocument.Parse(body))
        {
            var root = json.RootElement;
            Assert.That(root.GetProperty("samples").GetInt32(), Is.EqualTo(5), "k comes from the calibration");
            Assert.That(root.GetProperty("threshold").GetDouble(), Is.EqualTo(calibration.Threshold));
            var expected = _reference.Score(test, 2, samples: 5, seed: 2);
            for (int n = 0; n < 2; n++)
            {
                var served = root.GetProperty("scores")[n];
                AssertScore(served, expected[n], ScoreKind.NegativeLogLikelihood);
                Assert.That(served.GetProperty("anomalous").GetBoolean(), Is.EqualTo(n == 1), "only the highest-scoring image is above the median");
            }
            TestContext.Out.WriteLine($"threshold {calibration.Threshold:F3}; scores {expected[0].NegativeLogLikelihood:F3}, {expected[1].NegativeLogLikelihood:F3}");
        }

        (response, body) = await PostAsync(app, "/v1/score?samples=6", ServingEndpointTests.RandomPng(seed: 1).Png, "image/png");
        ProblemAssert.IsProblem(response, body, 400, "samples=5");

        using var model = await app.Client.GetAsync("/v1/model");
        using var info = JsonDocument.Parse(await model.Content.ReadAsStringAsync());
        var c = info.RootElement.GetProperty("calibration");
        Assert.That((c.GetProperty("scoreKind").GetString(), c.GetProperty("samples").GetInt32(), c.GetProperty("threshold").GetDouble()),
            Is.EqualTo(("nll", 5, calibration.Threshold)));
        Assert.That(info.RootElement.GetProperty("limits").GetProperty("maxScoreSamples").GetInt32(), Is.EqualTo(256));
    }

    [TestCase("{\"images\": [[0.5]]}", "images[0] has 1 values")]
    [TestCase("{\"images\": []}", "images has 0 rows")]
    [TestCase("{\"images\": [[1.5" + ", 0.5" + "]]}", "images[0] has 2 values")]
    [TestCase("{\"picture\": 1}", "picture")]
    [TestCase("{\"images\": 3}", "images is a JSON number")]
    public async Task Bad_json_batches_are_refused(string body, string mentions)
    {
        await using var app = await ServingApp.StartAsync(_folder);
        var (response, text) = await PostAsync(app, "/v1/score", Encoding.UTF8.GetBytes(body), "application/json");
        ProblemAssert.IsProblem(response, text, 400, mentions);
    }

    [Test]
    public async Task Bad_values_and_settings_are_refused()
    {
        await using var app = await ServingApp.StartAsync(_folder, o => o.MaxScoreSamples = 32);
        var pixels = Enumerable.Repeat(0.5f, 48).ToArray();
        pixels[7] = 1.5f;
        var (response, text) = await PostAsync(app, "/v1/score", Encoding.UTF8.GetBytes(JsonBatch(pixels, 1, 48)), "application/json");
        ProblemAssert.IsProblem(response, text, 400, "images[0][7] is 1.5");

        var png = ServingEndpointTests.RandomPng(seed: 2).Png;
        (response, text) = await PostAsync(app, "/v1/score?samples=33", png, "image/png");
        ProblemAssert.IsProblem(response, text, 400, "samples is 33; use 1 to 32 posterior draws per image (the service's MaxScoreSamples)");
        (response, text) = await PostAsync(app, "/v1/score?samples=0", png, "image/png");
        ProblemAssert.IsProblem(response, text, 400, "samples is 0");
        (response, text) = await PostAsync(app, "/v1/score?kind=mse", png, "image/png");
        ProblemAssert.IsProblem(response, text, 400, "kind=nll");
        (response, text) = await PostAsync(app, "/v1/score", png, "text/plain");
        ProblemAssert.IsProblem(response, text, 415, "image/png or image/jpeg");
    }

    [Test]
    public async Task An_unusable_calibration_fails_the_model_load()
    {
        File.WriteAllText(ScoreCalibration.PathIn(_folder), "{ broken");
        await using var app = await ServingApp.StartAsync(_folder, waitUntilReady: false);

        var error = Assert.ThrowsAsync<CalibrationException>(async () => await app.Host.WhenReady.WaitAsync(TimeSpan.FromSeconds(30)))!;
        TestContext.Out.WriteLine(error.Message);
        Assert.That(error.Message, Does.Contain("calibration.json is not valid JSON").And.Contain("calibrate"));
        using var ready = await app.Client.GetAsync("/readyz");
        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
    }
}
