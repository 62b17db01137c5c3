// VaeOnnx.Runtime.AspNetCore taken as a user takes it: the package README's minimal API (tests/Examples/ServingApi),
// built outside the repository against the feed, configured only through VaeServing__* variables, answers /readyz and
// /v1/sample with exactly the images the repository's runtime samples, and its /metrics counts the request.
using System.Net.Http.Json;
using System.Text.Json;
using VaeOnnx.Runtime.Core;
using VaeOnnx.Tests.Support;

namespace VaeOnnx.Tests.Packaging;

[TestFixture]
public sealed class AspNetCorePackageTests
{
    [Test]
    public void The_package_readme_quotes_the_serving_program()
    {
        LibraryPackageTests.ReadmeQuotes(Path.Combine("runtime", "AspNetCore", "PACKAGE.md"), "ServingApi");
    }

    [Test]
    public async Task The_minimal_api_with_AddVaeServing_and_MapVae_answers_v1_sample()
    {
        string model = Path.Combine(RepositoryPaths.Root, "models", "mnist-conv");
        using var server = await ConsumerWorkspace.Instance.StartAsync("ServingApi", "/readyz", new Dictionary<string, string>
        {
            ["VaeServing__ModelFolder"] = model,
            ["VaeServing__MaxCount"] = "8",
        });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/sample") { Content = JsonContent.Create(new { count = 4, seed = 3 }) };
        request.Headers.Accept.ParseAdd("application/json");
        using var answer = await client.SendAsync(request);
        string body = await answer.Content.ReadAsStringAsync();
        Assert.That((int)answer.StatusCode, Is.EqualTo(200), body);
        using var json = JsonDocument.Parse(body);
        float[] served = json.RootElement.GetProperty("images").EnumerateArray().SelectMany(image => image.EnumerateArray().Select(v => v.GetSingle())).ToArray();
        using var local = VaeModel.Load(model);
        Assert.That(served, Is.EqualTo(local.Sample(4, 3).Values), "the package's service samples exactly as the repository's runtime");

        using var png = await client.PostAsync("/v1/sample", JsonContent.Create(new { count = 4, seed = 3 }));
        Assert.That((int)png.StatusCode, Is.EqualTo(200));
        Assert.That(png.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/png"));
        using var tooMany = await client.PostAsync("/v1/sample", JsonContent.Create(new { count = 9 }));
        Assert.That((int)tooMany.StatusCode, Is.EqualTo(400), "VaeServing__MaxCount=8 reached the options through the configuration");
        string metrics = await client.GetStringAsync("/metrics");
        Assert.That(metrics, Does.Contain("vaeonnx_http_requests_total{endpoint=\"/v1/sample\""));
    }
}
