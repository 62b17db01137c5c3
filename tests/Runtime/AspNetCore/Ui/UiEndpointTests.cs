// The page's HTTP side without a browser: MapVaeUi answers / and ui/{name} with the embedded files (equal byte for
// byte to runtime/AspNetCore/Ui/wwwroot), their content types, the Content-Security-Policy, ETag revalidation (304) and
// HEAD, compressed with Brotli or gzip when the client asks (and only then); unknown files get the service's 404
// problem; inside a route group the page lives under the group's prefix; ServeUi = false and `serve --no-ui` leave /
// unmapped (404) and the API unchanged. The files themselves hold no inline script, inline style, event-handler
// attribute or absolute URL (the policy would block them anyway), and no second implementation of what the service
// computes (random numbers, interpolation, the metadata keys).
using System.IO.Compression;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using VaeOnnx.Runtime.AspNetCore;
using VaeOnnx.Runtime.AspNetCore.Ui;
using VaeOnnx.Tests.Support;

using VaeOnnx.Tests.Runtime.Host.Serving;

namespace VaeOnnx.Tests.Runtime.AspNetCore.Ui;

[TestFixture]
public sealed partial class UiEndpointTests
{
    private string _folder = "";
    private ServingApp _app = null!;

    private static string SourceFolder => Path.Combine(RepositoryPaths.Root, "runtime", "AspNetCore", "Ui", "wwwroot");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _folder = ServingTestModel.Write(ServingTestModel.NewTempFolder("ui"));
        _app = await ServingApp.StartAsync(_folder);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _app.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public void EveryFileOfTheSourceFolderIsEmbeddedUnchanged()
    {
        var files = Directory.GetFiles(SourceFolder).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);
        Assert.That(UiAssets.All.Keys, Is.EquivalentTo(files.Keys));
        foreach (var (name, bytes) in files)
            Assert.That(UiAssets.All[name].Content, Is.EqualTo(bytes), name);
    }

    public static IEnumerable<string> PageFiles => Directory.GetFiles(SourceFolder).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal);

    [TestCaseSource(nameof(PageFiles))]
    public async Task AnswersEachFileWithItsTypePolicyAndETag(string file)
    {
        string path = file == UiAssets.IndexName ? "/" : $"/ui/{file}";
        string contentType = Path.GetExtension(file) switch
        {
            ".html" => "text/html; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            ".css" => "text/css; charset=utf-8",
            ".svg" => "image/svg+xml",
            var other => throw new AssertionException($"the page has a {other} file; say here what type it must have"),
        };
        using var response = await _app.Client.GetAsync(path);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.Multiple(async () =>
        {
            Assert.That(response.Content.Headers.ContentType?.ToString(), Is.EqualTo(contentType));
            Assert.That(await response.Content.ReadAsByteArrayAsync(), Is.EqualTo(File.ReadAllBytes(Path.Combine(SourceFolder, file))));
            Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Is.EqualTo(VaeUiExtensions.ContentSecurityPolicy));
            Assert.That(response.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
            Assert.That(response.Headers.CacheControl?.NoCache, Is.True);
            Assert.That(response.Headers.ETag?.IsWeak, Is.False);
        });
    }

    [TestCase("gzip, deflate", "gzip")]
    [TestCase("gzip, deflate, br, zstd", "br")]
    [TestCase("br;q=0.1, gzip;q=0.9", "gzip")]
    [TestCase("identity", null)]
    [TestCase("", null)]
    public async Task FilesAreCompressedOnlyWhenTheClientAsks(string acceptEncoding, string? expected)
    {
        foreach (string file in new[] { "app.js", "map.js", "app.css" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/ui/{file}");
            if (acceptEncoding.Length > 0) request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
            using var response = await _app.Client.SendAsync(request);
            Assert.That(response.Content.Headers.ContentEncoding.SingleOrDefault(), Is.EqualTo(expected), file);
            Assert.That(response.Headers.Vary, Does.Contain("Accept-Encoding"), file);
            byte[] body = await response.Content.ReadAsByteArrayAsync();
            byte[] source = File.ReadAllBytes(Path.Combine(SourceFolder, file));
            using var decoded = new MemoryStream();
            using (Stream stream = expected switch
            {
                "br" => new BrotliStream(new MemoryStream(body), CompressionMode.Decompress),
                "gzip" => new GZipStream(new MemoryStream(body), CompressionMode.Decompress),
                _ => new MemoryStream(body),
            })
            {
                stream.CopyTo(decoded);
            }
            Assert.That(decoded.ToArray(), Is.EqualTo(source), file);
            if (expected is not null)
            {
                Assert.That(body.Length, Is.LessThan(source.Length / 2), $"{file} as {expected}: {body.Length} of {source.Length} bytes");
                Assert.That(response.Headers.ETag!.Tag, Does.EndWith($"-{expected}\""), "each encoding has its own strong ETag");
            }
        }
    }

    [Test]
    public void ThePageHasNoSecondImplementationOfWhatTheServiceComputes()
    {
        var scripts = Directory.GetFiles(SourceFolder, "*.js").ToDictionary(f => Path.GetFileName(f)!, File.ReadAllText);
        Assert.Multiple(() =>
        {
            foreach (var (name, text) in scripts)
            {
                Assert.That(text, Does.Not.Contain("vaeonnx."), $"{name} spells a metadata key (GET v1/model answers \"card\")");
                Assert.That(Regex.IsMatch(text, @"Math\.random|Math\.imul|mulberry|Box-Muller", RegexOptions.IgnoreCase), Is.False,
                    $"{name} draws its own random numbers (v1/latents/sample gives z)");
                Assert.That(Regex.IsMatch(text, @"Math\.acos|slerp\(|sinOmega", RegexOptions.IgnoreCase), Is.False, $"{name} interpolates (v1/latents/interpolate does)");
                Assert.That(text.Contains("createImageData", StringComparison.Ordinal), Is.False, $"{name} turns model floats into pixels (the service sends PNG)");
            }
            Assert.That(scripts.Keys, Is.SupersetOf(new[] { "app.js", "api.js", "map.js", "upload.js", "live.js" }), "one module per concern");
            Assert.That(scripts.Values.Max(t => t.Split('\n').Length), Is.LessThan(400), "no module grows into a second app.js");
        });
    }

    [Test]
    public async Task RevalidationWithTheETagGets304AndAStaleOneGetsTheFile()
    {
        using var first = await _app.Client.GetAsync("/ui/app.js");
        string etag = first.Headers.ETag!.Tag;

        using var same = new HttpRequestMessage(HttpMethod.Get, "/ui/app.js");
        same.Headers.TryAddWithoutValidation("If-None-Match", $"\"other\", W/{etag}");
        using var notModified = await _app.Client.SendAsync(same);
        Assert.That(notModified.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        Assert.That(await notModified.Content.ReadAsByteArrayAsync(), Is.Empty);

        using var stale = new HttpRequestMessage(HttpMethod.Get, "/ui/app.js");
        stale.Headers.TryAddWithoutValidation("If-None-Match", "\"an-older-build\"");
        using var fresh = await _app.Client.SendAsync(stale);
        Assert.That(fresh.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(fresh.Headers.ETag!.Tag, Is.EqualTo(etag));
    }

    [Test]
    public async Task HeadAnswersTheHeadersWithoutABody()
    {
        using var response = await _app.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentLength, Is.EqualTo(UiAssets.Index.Content.Length));
        Assert.That(await response.Content.ReadAsByteArrayAsync(), Is.Empty);
    }

    [TestCase("/ui/nope.js")]
    [TestCase("/ui/index.html")]
    [TestCase("/ui/..%2Fapp.js")]
    public async Task UnknownFilesGetTheService404Problem(string path)
    {
        using var response = await _app.Client.GetAsync(path);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task WithServeUiOffTheRootIs404AndTheApiStillAnswers()
    {
        await using var app = await ServingApp.StartAsync(_folder, o => o.ServeUi = false);
        using var root = await app.Client.GetAsync("/");
        using var asset = await app.Client.GetAsync("/ui/app.js");
        using var model = await app.Client.GetAsync("/v1/model");
        Assert.That(root.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(asset.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(model.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task InsideARouteGroupThePageLivesUnderItsPrefix()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddVaeServing(o => o.ModelFolder = _folder);
        await using var app = builder.Build();
        app.UseVaeServing();
        var vae = app.MapGroup("/vae");
        vae.MapVae();
        vae.MapVaeUi();
        await app.StartAsync();
        using var client = app.GetTestClient();

        using var bare = await client.GetAsync("/vae");
        Assert.That(bare.StatusCode, Is.EqualTo(HttpStatusCode.PermanentRedirect));
        Assert.That(bare.Headers.Location?.ToString(), Is.EqualTo("/vae/"));
        using var page = await client.GetAsync("/vae/");
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var script = await client.GetAsync("/vae/ui/app.js");
        Assert.That(script.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var root = await client.GetAsync("/");
        Assert.That(root.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        await app.StopAsync();
    }

    [Test]
    public async Task ServeWithNoUiLeavesTheRootUnmapped()
    {
        using var server = await ServerProcess.StartAsync(Path.Combine(RepositoryPaths.Root, "models", "mnist-mlp-2d"), "--no-ui");
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        using var root = await client.GetAsync("/");
        using var model = await client.GetAsync("/v1/model");
        Assert.That(root.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(model.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    public static IEnumerable<string> CodeFiles => PageFiles.Where(f => Path.GetExtension(f) is ".html" or ".js" or ".css");

    [TestCaseSource(nameof(CodeFiles))]
    public void TheFilesNeedNothingThePolicyForbids(string file)
    {
        string text = File.ReadAllText(Path.Combine(SourceFolder, file));
        Assert.Multiple(() =>
        {
            Assert.That(InlineScript().IsMatch(text), Is.False, "an inline <script> (the policy allows only script files)");
            Assert.That(Regex.IsMatch(text, @"<style[\s>]", RegexOptions.IgnoreCase), Is.False, "an inline <style>");
            if (file.EndsWith(".html", StringComparison.Ordinal))
                Assert.That(Regex.IsMatch(text, @"\sstyle\s*=|\son[a-z]+\s*=\s*[""']", RegexOptions.IgnoreCase), Is.False, "a style or event-handler attribute");
            else
                Assert.That(Regex.IsMatch(text, @"innerHTML|setAttribute\(\s*['""](style|on)|\beval\(|new Function\("), Is.False, "markup, style or code built from strings");
            Assert.That(Regex.Matches(text, @"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", RegexOptions.IgnoreCase).Select(m => m.Value), Is.Empty, "an absolute URL to another origin");
        });
    }

    [GeneratedRegex(@"<script(?![^>]*\ssrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();
}
