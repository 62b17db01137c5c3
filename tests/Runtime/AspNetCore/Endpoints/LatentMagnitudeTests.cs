// Every JSON endpoint fed magnitudes up to float32's maximum, where a number reaches the model: z of /v1/decode (both
// answer formats), temperature of /v1/sample, pixels of the JSON /v1/score batch. Each gets a 400 that names the bound
// (VaeModel.MaxLatentMagnitude for z, the temperature range, the contract's input range for pixels) or, at the bound,
// a complete 200 whose every number is finite: never a 200 with a cut body, never a 5xx.
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using VaeOnnx.Runtime.Core;

namespace VaeOnnx.Tests.Runtime.AspNetCore.Endpoints;

[TestFixture]
public sealed class LatentMagnitudeTests
{
    private string _folder = "";
    private ServingApp _app = null!;

    private static readonly string Bound = VaeModel.MaxLatentMagnitude.ToString("G", CultureInfo.InvariantCulture);

    public sealed record Case(string Name, string Path, string Body, string Accept, bool Accepted, string Mentions)
    {
        public override string ToString() => Name;
    }

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _folder = ServingTestModel.Write(ServingTestModel.NewTempFolder("serving-magnitudes"));
        _app = await ServingApp.StartAsync(_folder);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _app.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    // float32's maximum, far over the bound, just over it (the next float32 above 1e4 is 10000.001), and at it.
    private static readonly string[] OverBound = ["3.4028235e38", "1e30", "1e10", "10000.001"];
    private static readonly string[] WithinBound = ["10000", "9999.5"];

    public static IEnumerable<Case> Cases()
    {
        foreach (string accept in new[] { "image/png", "application/json" })
        {
            foreach (string sign in new[] { "", "-" })
            {
                foreach (string v in OverBound)
                    yield return new($"decode z = {sign}{v} ({accept})", "/v1/decode", $$"""{"z": [[0, {{sign}}{{v}}, 0, 0]]}""", accept, false, $"z[0][1] is {sign}");
                foreach (string v in WithinBound)
                    yield return new($"decode z = {sign}{v} ({accept})", "/v1/decode", $$"""{"z": [[{{sign}}{{v}}, {{sign}}{{v}}, 0, {{sign}}{{v}}], [0, 0, 0, 0]]}""", accept, true, "");
            }
            foreach (string v in new[] { "3.4028235e38", "-3.4028235e38", "1e30", "1e10", "10.001", "-1" })
                yield return new($"sample temperature = {v} ({accept})", "/v1/sample", $$"""{"count": 2, "seed": 1, "temperature": {{v}}}""", accept, false, "at most 10");
            yield return new($"sample temperature = 10 ({accept})", "/v1/sample", """{"count": 2, "seed": 1, "temperature": 10}""", accept, true, "");
        }
        foreach (string v in new[] { "3.4028235e38", "-3.4028235e38", "1e30", "-1e10", "1.0000001" })
            yield return new($"score pixel = {v}", "/v1/score", ScoreBody(v), "application/json", false, "from 0 to 1");
        yield return new("score pixel = 1", "/v1/score", ScoreBody("1"), "application/json", true, "");
    }

    [TestCaseSource(nameof(Cases))]
    public async Task Magnitudes_get_a_400_naming_the_bound_or_a_finite_answer(Case c)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, c.Path) { Content = new StringContent(c.Body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Accept", c.Accept);
        using var response = await _app.Client.SendAsync(request);
        byte[] body = await response.Content.ReadAsByteArrayAsync();
        string text = Encoding.UTF8.GetString(body);
        TestContext.Out.WriteLine($"{(int)response.StatusCode} {(c.Accept == "image/png" && response.IsSuccessStatusCode ? $"PNG, {body.Length} bytes" : text)}");
        Assert.That(response.Content.Headers.ContentLength, Is.EqualTo(body.Length), "the whole body, as announced");

        if (!c.Accepted)
        {
            ProblemAssert.IsProblem(response, text, 400, c.Mentions);
            if (c.Path == "/v1/decode")
                Assert.That(text, Does.Contain($"±{Bound}"), "names the bound");
            return;
        }
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        if (c.Accept == "application/json")
        {
            using var json = JsonDocument.Parse(text); // JSON has no NaN or infinity: parsing proves every number finite
            Assert.That(json.RootElement.ValueKind, Is.EqualTo(JsonValueKind.Object));
        }
        else
        {
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/png"));
            Assert.That(body.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), Is.True);
        }
    }

    private static string ScoreBody(string value)
    {
        var pixels = Enumerable.Repeat("0.5", 8 * 6).ToArray();
        pixels[7] = value;
        return $$"""{"images": [[{{string.Join(", ", pixels)}}]], "samples": 2}""";
    }
}
