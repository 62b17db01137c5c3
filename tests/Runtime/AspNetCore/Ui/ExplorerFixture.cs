// Test base for the model explorer page: one real `runtime serve` process (ServerProcess, a free 127.0.0.1 port)
// for a shipped model and one Debian chromium per fixture, a fresh browser context per page, and the independent
// references the page is compared with: the service's own JSON answers for the same z or image, turned into bytes
// by the runtime's ImageConversion.ToByte. It holds no test itself.
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

    /// <summary>The shipped model folder (under models/) the server runs.</summary>
    protected abstract string ModelName { get; }

    protected ServerProcess Server => _server ?? throw new InvalidOperationException("The server is not running.");

    protected HttpClient Api { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        string folder = Path.Combine(RepositoryPaths.Root, "models", ModelName);
        (_playwright, _browser) = await DebianChromium.LaunchAsync();
        _server = await ServerProcess.StartAsync(folder, "--max-concurrent", "2");
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

    [TearDown]
    public async Task CloseContextsAsync()
    {
        foreach (var context in _contexts) await context.DisposeAsync();
        _contexts.Clear();
    }

    /// <summary>A new page (own context: no shared storage) with its recorder, already showing the explorer, ready.</summary>
    protected async Task<(IPage Page, PageRecorder Recorder, IResponse Response)> OpenAsync(int width = 1200, int height = 900,
        ColorScheme colorScheme = ColorScheme.Light)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = colorScheme,
        });
        _contexts.Add(context);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        var recorder = new PageRecorder(page);
        var response = await page.GotoAsync(Server.BaseAddress.ToString()) ?? throw new InvalidOperationException("No answer for the page.");
        await page.WaitForSelectorAsync("body[data-ready='true']", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });
        return (page, recorder, response);
    }

    /// <summary>Scrolls an element into the viewport (the mouse only reaches what is shown) and answers its box.</summary>
    protected static async Task<LocatorBoundingBoxResult> BoxAsync(IPage page, string selector)
    {
        var element = page.Locator(selector);
        await element.ScrollIntoViewIfNeededAsync();
        return await element.BoundingBoxAsync() ?? throw new InvalidOperationException($"{selector} is not visible.");
    }

    /// <summary>The RGBA bytes of a canvas, as the page drew them.</summary>
    protected static async Task<byte[]> CanvasAsync(IPage page, string id)
    {
        int[] values = await page.EvaluateAsync<int[]>(
            "id => { const c = document.getElementById(id); return Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data); }", id);
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

    /// <summary>The slider values the page shows, in dimension order.</summary>
    protected static async Task<float[]> SliderZAsync(IPage page) =>
        await page.EvaluateAsync<float[]>("() => Array.from(document.querySelectorAll('#sliders input')).map(i => Number(i.value))");

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

    /// <summary>Test digit <paramref name="index"/> of MNIST's test set as an 8-bit grey PNG, each pixel repeated <paramref name="scale"/> times.</summary>
    protected static byte[] MnistDigitPng(int index, int scale = 1)
    {
        var images = TestDigits.Value;
        int side = images.Rows;
        var pixels = new byte[side * scale * side * scale];
        for (int y = 0; y < side * scale; y++)
        {
            for (int x = 0; x < side * scale; x++)
                pixels[y * side * scale + x] = images.Pixels[index * side * side + (y / scale) * side + x / scale];
        }
        return ImageFile.EncodePng(new PixelImage(side * scale, side * scale, 1, pixels));
    }

    /// <summary>Largest absolute difference between two equally long byte arrays.</summary>
    protected static int MaxDifference(byte[] a, byte[] b)
    {
        Assert.That(a, Has.Length.EqualTo(b.Length), "the two images differ in size");
        return a.Zip(b, (x, y) => Math.Abs(x - y)).DefaultIfEmpty(0).Max();
    }

    /// <summary>Saves a full-page screenshot and attaches it to the test's result.</summary>
    protected static async Task AttachScreenshotAsync(IPage page, string name, string description)
    {
        string path = Path.Combine(TestContext.CurrentContext.WorkDirectory, name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.AddTestAttachment(path, description);
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
