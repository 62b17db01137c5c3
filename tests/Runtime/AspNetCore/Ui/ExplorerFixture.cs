// Test base for the model explorer page: one real `runtime serve` process (ServerProcess, a free 127.0.0.1 port)
// for a shipped model and one Debian chromium per fixture, a fresh browser context per page, and the independent
// references the page is compared with: the service's own answers for the same z or image, turned into bytes by the
// runtime's ImageConversion.ToByte. It also runs axe-core (AxeChecker) on a page state when a test asks, and saves a
// screenshot of the last page of every test as an attachment. It holds no test itself.
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using VaeOnnx.Runtime.Core.Imaging;
using VaeOnnx.Tests.Support;
using VaeOnnx.Trainer.Data;

using VaeOnnx.Tests.Runtime.Host.Serving;

namespace VaeOnnx.Tests.Runtime.AspNetCore.Ui;

public abstract class ExplorerFixture
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private ServerProcess? _server;
    private readonly List<IBrowserContext> _contexts = [];
    private IPage? _lastPage;

    /// <summary>The shipped model folder (under models/) the server runs.</summary>
    protected abstract string ModelName { get; }

    protected ServerProcess Server => _server ?? throw new InvalidOperationException("The server is not running.");

    protected HttpClient Api { get; private set; } = null!;

    protected IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser is not running.");

    protected string ModelFolder => Path.Combine(RepositoryPaths.Root, "models", ModelName);

    /// <summary>The folder the fixture's server runs (the shipped model unless a fixture serves a modified copy).</summary>
    protected virtual string ServedFolder => ModelFolder;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        (_playwright, _browser) = await DebianChromium.LaunchAsync();
        _server = await ServerProcess.StartAsync(ServedFolder, "--max-concurrent", "2");
        Api = new HttpClient { BaseAddress = _server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        Api?.Dispose();
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        _server?.Dispose();
    }

    /// <summary>Every test leaves a full-page screenshot of the last page it opened, attached to its result.</summary>
    [TearDown]
    public async Task CloseContextsAsync()
    {
        if (_lastPage is { IsClosed: false })
        {
            try
            {
                await AttachScreenshotAsync(_lastPage, $"ui-{ModelName}-{TestContext.CurrentContext.Test.MethodName}.png",
                    $"The page at the end of {TestContext.CurrentContext.Test.Name}");
            }
            catch (PlaywrightException e)
            {
                TestContext.Out.WriteLine($"no final screenshot: {e.Message}");
            }
        }
        _lastPage = null;
        foreach (var context in _contexts) await context.DisposeAsync();
        _contexts.Clear();
    }

    /// <summary>A new page (own context: no shared storage) with its recorder, showing the explorer of <paramref name="server"/> (default: the fixture's), ready.</summary>
    protected async Task<(IPage Page, PageRecorder Recorder, IResponse Response)> OpenAsync(int width = 1200, int height = 900,
        ColorScheme colorScheme = ColorScheme.Light, bool hasTouch = false, Uri? server = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = colorScheme,
            HasTouch = hasTouch,
        });
        _contexts.Add(context);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        _lastPage = page;
        var recorder = new PageRecorder(page);
        var response = await page.GotoAsync((server ?? Server.BaseAddress).ToString()) ?? throw new InvalidOperationException("No answer for the page.");
        await page.WaitForSelectorAsync("body[data-ready='true']", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });
        return (page, recorder, response);
    }

    /// <summary>Runs axe-core on the page as it is now and fails on any violation, listing each (AxeChecker).</summary>
    protected static Task AxeAsync(IPage page, string state) => AxeChecker.AssertNoViolationsAsync(page, state);

    /// <summary>Scrolls an element into the viewport (the mouse only reaches what is shown) and answers its box.</summary>
    protected static async Task<LocatorBoundingBoxResult> BoxAsync(IPage page, string selector)
    {
        var element = page.Locator(selector);
        await element.ScrollIntoViewIfNeededAsync();
        return await element.BoundingBoxAsync() ?? throw new InvalidOperationException($"{selector} is not visible.");
    }

    /// <summary>The RGBA bytes of the canvas with this id, as the page drew them.</summary>
    protected static Task<byte[]> CanvasAsync(IPage page, string id) => PixelsAsync(page, $"#{id}");

    /// <summary>The RGBA bytes of the first canvas matching a CSS selector.</summary>
    protected static async Task<byte[]> PixelsAsync(IPage page, string selector)
    {
        int[] values = await page.EvaluateAsync<int[]>(
            "s => { const c = document.querySelector(s); return Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data); }", selector);
        return values.Select(v => (byte)v).ToArray();
    }

    /// <summary>The red channel of every pixel (grey models draw r = g = b).</summary>
    protected static byte[] Red(byte[] rgba) => [.. rgba.Where((_, i) => i % 4 == 0)];

    protected static async Task<int> FramesAsync(IPage page, string id) =>
        await page.EvaluateAsync<int>("id => Number(document.getElementById(id).dataset.frames || 0)", id);

    /// <summary>Waits until the canvas has drawn more than <paramref name="frames"/> frames and holds the newest z.</summary>
    protected static async Task WaitForNewFrameAsync(IPage page, string id, int frames)
    {
        await page.WaitForFunctionAsync(
            "([id, n]) => { const c = document.getElementById(id); return Number(c.dataset.frames || 0) > n && c.dataset.busy !== 'true'; }",
            new object[] { id, frames });
    }

    /// <summary>Waits until the live view shows the newest z.</summary>
    protected static Task WaitForLiveAsync(IPage page) =>
        page.WaitForFunctionAsync("() => document.getElementById('decoded').dataset.busy === 'false'");

    /// <summary>The page's current z (latent.js), as the page holds it: sliders show it clamped to their range.</summary>
    protected static async Task<double[]> CurrentZAsync(IPage page) =>
        await page.EvaluateAsync<double[]>("async () => (await import('./ui/latent.js')).currentZ()");

    /// <summary>The slider values the page shows, in dimension order.</summary>
    protected static async Task<float[]> SliderZAsync(IPage page) =>
        await page.EvaluateAsync<float[]>("() => Array.from(document.querySelectorAll('#sliders input')).map(i => Number(i.value))");

    /// <summary>Waits for "your image" to finish (results shown or a message) and answers the state: "done" or "failed".</summary>
    protected static async Task<string> WaitForAnalysisAsync(IPage page)
    {
        await page.WaitForFunctionAsync("() => ['done', 'failed'].includes(document.getElementById('yours').dataset.state)");
        return await page.GetAttributeAsync("#yours", "data-state") ?? "";
    }

    /// <summary>Whether the element is (at least partly) inside the viewport.</summary>
    protected static Task<bool> InViewAsync(IPage page, string selector) => page.EvaluateAsync<bool>(
        "s => { const r = document.querySelector(s).getBoundingClientRect(); return r.height > 0 && r.bottom > 0 && r.top < window.innerHeight; }", selector);

    /// <summary>The service's own answer for decoding <paramref name="z"/> (rounded to float32 as the service reads it), as 0..255 grey bytes.</summary>
    protected Task<byte[]> ReferenceDecodeAsync(double[] z) => ReferenceDecodeAsync(Array.ConvertAll(z, v => (float)v));

    /// <summary>The service's own answer for decoding <paramref name="z"/>, as 0..255 grey bytes.</summary>
    protected async Task<byte[]> ReferenceDecodeAsync(float[] z)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/decode") { Content = JsonContent.Create(new { z = new[] { z } }) };
        return ToBytes(await SendForImageAsync(request));
    }

    /// <summary>The service's own reconstruction (mode=mean) of a PNG, as 0..255 grey bytes.</summary>
    protected async Task<byte[]> ReferenceReconstructAsync(byte[] png)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/reconstruct?mode=mean") { Content = PngContent(png) };
        return ToBytes(await SendForImageAsync(request));
    }

    /// <summary>The service's own anomaly score (its defaults) of a PNG.</summary>
    protected async Task<double> ReferenceScoreAsync(byte[] png)
    {
        using var response = await Api.PostAsync("/v1/score", PngContent(png));
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("scores")[0].GetProperty("score").GetDouble();
    }

    /// <summary>The service's posterior mean of a PNG.</summary>
    protected async Task<float[]> ReferenceMuAsync(byte[] png)
    {
        using var response = await Api.PostAsync("/v1/encode", PngContent(png));
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. json.RootElement.GetProperty("mu").EnumerateArray().Select(v => v.GetSingle())];
    }

    /// <summary>Test digit <paramref name="index"/> of MNIST's test set as 8-bit grey pixels, each repeated <paramref name="scale"/> times.</summary>
    protected static PixelImage MnistDigit(int index, int scale = 1)
    {
        var images = TestDigits.Value;
        int side = images.Rows;
        var pixels = new byte[side * scale * side * scale];
        for (int y = 0; y < side * scale; y++)
        {
            for (int x = 0; x < side * scale; x++)
                pixels[y * side * scale + x] = images.Pixels[index * side * side + (y / scale) * side + x / scale];
        }
        return new PixelImage(side * scale, side * scale, 1, pixels);
    }

    /// <summary>Test digit <paramref name="index"/> as a PNG file's bytes.</summary>
    protected static byte[] MnistDigitPng(int index, int scale = 1) => ImageFile.EncodePng(MnistDigit(index, scale));

    /// <summary>Largest absolute difference between two equally long byte arrays.</summary>
    protected static int MaxDifference(byte[] a, byte[] b)
    {
        Assert.That(a, Has.Length.EqualTo(b.Length), "the two images differ in size");
        return a.Zip(b, (x, y) => Math.Abs(x - y)).DefaultIfEmpty(0).Max();
    }

    /// <summary>Saves a full-page screenshot and attaches it to the test's result; answers its path.</summary>
    protected static async Task<string> AttachScreenshotAsync(IPage page, string name, string description, bool fullPage = true)
    {
        string folder = Path.Combine(TestContext.CurrentContext.WorkDirectory, "ui-screenshots");
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage });
        TestContext.AddTestAttachment(path, description);
        return path;
    }

    /// <summary>Drops a file with these bytes onto the element <paramref name="selector"/>, as a person dragging it from their files would.</summary>
    protected static async Task DropFileAsync(IPage page, string selector, byte[] bytes, string name, string type)
    {
        var dataTransfer = await page.EvaluateHandleAsync(
            "([bytes, name, type]) => { const t = new DataTransfer(); t.items.add(new File([new Uint8Array(bytes)], name, { type })); return t; }",
            new object[] { bytes.Select(b => (int)b).ToArray(), name, type });
        await page.DispatchEventAsync(selector, "drop", new Dictionary<string, object> { ["dataTransfer"] = dataTransfer });
    }

    private static readonly Lazy<IdxImages> TestDigits = new(() =>
    {
        string path = Path.Combine(RepositoryPaths.MnistFolder, "t10k-images-idx3-ubyte");
        return IdxReader.ReadImages(File.Exists(path + ".gz") ? path + ".gz" : path);
    });

    private static ByteArrayContent PngContent(byte[] png)
    {
        var content = new ByteArrayContent(png);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        return content;
    }

    private async Task<float[]> SendForImageAsync(HttpRequestMessage request)
    {
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await Api.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. json.RootElement.GetProperty("images")[0].EnumerateArray().Select(v => v.GetSingle())];
    }

    private static byte[] ToBytes(float[] image) => [.. image.Select(ImageConversion.ToByte)];
}
