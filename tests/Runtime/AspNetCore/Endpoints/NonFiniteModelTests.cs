// The service on models whose decoder outputs NaN or +-infinity (NonFiniteVae), every endpoint and answer format: a
// request either gets a complete 200 whose every number is finite, or a problem answer that says the model failed
// (500, ProblemMiddleware.ModelFaultTitle), logged and counted in /metrics as a model fault and a 5xx, never a 200
// with a cut body and never the anonymous "bug" 500. Which of the two each case gets is stated, not guessed: every
// path through the broken decoder fails; encoding (a working encoder) succeeds; scoring the infinite Gaussian model
// reads infinities as +-float.MaxValue (runtime/Core/Scoring/README.md) and gives huge finite scores.
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using VaeOnnx.Runtime.AspNetCore.Http;
using VaeOnnx.Tests.Support;

using VaeOnnx.Tests.Runtime.AspNetCore.Metrics;

namespace VaeOnnx.Tests.Runtime.AspNetCore.Endpoints;

[TestFixture]
public sealed class NonFiniteModelTests
{
    private readonly Dictionary<NonFiniteKind, ServingApp> _apps = [];
    private TemporaryFolder _folder = null!;

    public sealed record Case(NonFiniteKind Kind, string Name, string Path, string ContentType, string? Accept, bool ExpectModelFault)
    {
        public override string ToString() => $"{Kind} model: {Name}";
    }

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _folder = new TemporaryFolder("vaeonnx-nonfinite-serving");
        foreach (var kind in Enum.GetValues<NonFiniteKind>())
        {
            _apps[kind] = await ServingApp.StartAsync(NonFiniteVae.Write(_folder.File(kind.ToString()), kind), o => o.MaxCount = 8);
        }
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        foreach (var app in _apps.Values) await app.DisposeAsync();
        _folder.Dispose();
    }

    public static IEnumerable<Case> Cases()
    {
        foreach (var kind in Enum.GetValues<NonFiniteKind>())
        {
            foreach (var accept in new[] { "image/png", "application/json" })
            {
                string format = accept == "image/png" ? "PNG" : "JSON";
                yield return new(kind, $"decode ({format})", "/v1/decode", "application/json", accept, true);
                yield return new(kind, $"sample ({format})", "/v1/sample", "application/json", accept, true);
                yield return new(kind, $"reconstruct mean ({format})", "/v1/reconstruct?mode=mean", "image/png", accept, true);
                yield return new(kind, $"reconstruct sample ({format})", "/v1/reconstruct?mode=sample&seed=3", "image/png", accept, true);
            }
            yield return new(kind, "encode", "/v1/encode", "image/png", "application/json", false);
            yield return new(kind, "score (PNG upload)", "/v1/score?samples=8", "image/png", "application/json", kind == NonFiniteKind.NaN);
            yield return new(kind, "score (JSON batch)", "/v1/score", "application/json", "application/json", kind == NonFiniteKind.NaN);
        }
    }

    [TestCaseSource(nameof(Cases))]
    public async Task Every_endpoint_answers_completely_or_names_the_model_as_at_fault(Case c)
    {
        var app = _apps[c.Kind];
        double faultsBefore = Metric(await Scrape(app), "vaeonnx_model_faults_total");
        using var request = new HttpRequestMessage(HttpMethod.Post, c.Path) { Content = new ByteArrayContent(Body(c)) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(c.ContentType);
        request.Headers.TryAddWithoutValidation("Accept", c.Accept);

        using var response = await app.Client.SendAsync(request);
        byte[] body = await response.Content.ReadAsByteArrayAsync(); // a cut body throws here
        string text = Encoding.UTF8.GetString(body);
        TestContext.Out.WriteLine($"{(int)response.StatusCode} {(response.Content.Headers.ContentType?.MediaType == "image/png" ? $"PNG, {body.Length} bytes" : text)}");
        Assert.That(response.Content.Headers.ContentLength, Is.EqualTo(body.Length), "the whole body, as announced");

        var samples = await Scrape(app);
        if (c.ExpectModelFault)
        {
            ProblemAssert.IsProblem(response, text, 500, "produced");
            using var problem = JsonDocument.Parse(text);
            Assert.That(problem.RootElement.GetProperty("title").GetString(), Is.EqualTo(ProblemMiddleware.ModelFaultTitle));
            Assert.That(problem.RootElement.GetProperty("detail").GetString(), Does.Contain(c.Kind == NonFiniteKind.NaN ? "NaN" : "infinity")
                .And.Contain("decoder.onnx").And.Contain("re-export"));
            Assert.That(Metric(samples, "vaeonnx_model_faults_total"), Is.EqualTo(faultsBefore + 1), "counted as a model fault");
            Assert.That(Metric(samples, "vaeonnx_unhandled_exceptions_total"), Is.Zero, "not counted as a bug");
            Assert.That(app.Logs.Lines, Has.Some.Contains("The model failed on POST").And.Contains("ModelOutputException"), "logged with its exception");
            string endpoint = "/v1" + c.Path.Split('?')[0][3..];
            Assert.That(PrometheusTextReader.Value(samples, "vaeonnx_http_errors_total", ("endpoint", endpoint), ("status", "500")), Is.GreaterThan(0));
        }
        else
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
            using var json = JsonDocument.Parse(text); // JSON cannot hold NaN or infinity, so parsing proves every number finite
            Assert.That(AllNumbers(json.RootElement).All(double.IsFinite), Is.True);
            Assert.That(Metric(samples, "vaeonnx_model_faults_total"), Is.EqualTo(faultsBefore));
        }
    }

    private static byte[] Body(Case c)
    {
        if (c.ContentType == "image/png")
            return ServingEndpointTests.RandomPng(seed: 5, width: NonFiniteVae.Width, height: NonFiniteVae.Height).Png;
        if (c.Path.StartsWith("/v1/decode", StringComparison.Ordinal))
            return Encoding.UTF8.GetBytes("""{"z": [[0.5, -1, 0, 2], [0, 0, 0, 0]]}""");
        if (c.Path.StartsWith("/v1/sample", StringComparison.Ordinal))
            return Encoding.UTF8.GetBytes("""{"count": 3, "seed": 1}""");
        var pixels = ServingEndpointTests.RandomPng(seed: 6, width: NonFiniteVae.Width, height: NonFiniteVae.Height).Planar;
        return Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { images = new[] { pixels, pixels }, samples = 4 }));
    }

    private static IEnumerable<double> AllNumbers(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number => [element.GetDouble()],
        JsonValueKind.Array => element.EnumerateArray().SelectMany(AllNumbers),
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => AllNumbers(p.Value)),
        _ => [],
    };

    private static async Task<IReadOnlyList<PrometheusTextReader.Sample>> Scrape(ServingApp app) =>
        PrometheusTextReader.Parse(await app.Client.GetStringAsync("/metrics"));

    private static double Metric(IReadOnlyList<PrometheusTextReader.Sample> samples, string name) => PrometheusTextReader.Value(samples, name);
}
