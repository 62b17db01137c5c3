// The model explorer page in Debian's chromium against a real `runtime serve` of models/mnist-conv (latent 16):
// it loads with no console error and no request leaving the server; sliders (mouse and keyboard) redraw the image,
// and what is drawn equals the service's own decoding of the z the sliders show; a dropped MNIST digit shows the
// service's reconstruction and score; a wrong-size image without resizing shows the API's problem detail; the
// interpolation strip starts at the reconstruction of A; the page fits 360 px and has a dark theme. It also measures
// decoded frames per second during a scripted slider drag and reports it, without asserting a speed.
using System.Globalization;
using Microsoft.Playwright;
using VaeOnnx.Runtime.Core.Imaging;

namespace VaeOnnx.Tests.Runtime.AspNetCore.Ui;

[TestFixture]
public sealed class ConvModelPageTests : ExplorerFixture
{
    protected override string ModelName => "mnist-conv";

    [Test]
    public async Task PageLoadsWithoutErrorsAndNoRequestLeavesTheServer()
    {
        var (page, recorder, response) = await OpenAsync();
        Assert.That(response.Status, Is.EqualTo(200));
        Assert.That(response.Headers["content-security-policy"], Does.StartWith("default-src 'self'"));

        string card = await page.InnerTextAsync("#card-list");
        Assert.That(card, Does.Contain("conv").And.Contain("28 × 28").And.Contain("bernoulli").And.Contain("101.57").And.Contain("mnist"));
        Assert.That(await page.Locator("#sliders input[type=range]").CountAsync(), Is.EqualTo(16));
        Assert.That(await page.Locator("#sample-grid canvas").CountAsync(), Is.EqualTo(16));
        Assert.That(await page.IsHiddenAsync("#manifold"), Is.True, "a 16-latent model has no 2-D manifold");
        Assert.That(Red(await CanvasAsync(page, "decoded")).Max(), Is.GreaterThan(0), "the decoded image of z = 0 is all black");

        await AttachScreenshotAsync(page, "ui-mnist-conv.png", "The model explorer page for models/mnist-conv after loading");
        recorder.AssertNoErrors();
        recorder.AssertAllSameOrigin(Server.BaseAddress);
        TestContext.Out.WriteLine($"{recorder.Requests.Count} requests, all to {Server.BaseAddress}: {string.Join(", ", recorder.Requests.Select(u => new Uri(u).AbsolutePath).Distinct())}");
    }

    [Test]
    public async Task DraggingASliderRedrawsTheServiceDecodingOfTheShownZ()
    {
        var (page, recorder, _) = await OpenAsync();
        byte[] before = await CanvasAsync(page, "decoded");
        int frames = await FramesAsync(page, "decoded");

        var box = await BoxAsync(page, "#z1");
        await page.Mouse.MoveAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(box.X + box.Width * 0.92f, box.Y + box.Height / 2, new MouseMoveOptions { Steps = 8 });
        await page.Mouse.UpAsync();
        await WaitForNewFrameAsync(page, "decoded", frames);

        float[] z = await SliderZAsync(page);
        Assert.That(z[0], Is.GreaterThan(1.5f), "the drag did not move z1");
        byte[] after = await CanvasAsync(page, "decoded");
        Assert.That(MaxDifference(Red(before), Red(after)), Is.GreaterThan(50), "moving z1 did not change the image");
        int difference = MaxDifference(Red(after), await ReferenceDecodeAsync(z));
        TestContext.Out.WriteLine($"z1 = {z[0]}; largest byte difference between the page and the service's decoding: {difference}");
        Assert.That(difference, Is.LessThanOrEqualTo(1), "the page shows another image than the service decodes for its z");
        recorder.AssertNoErrors();
    }

    [Test]
    public async Task ArrowKeysMoveAFocusedSliderAndRedraw()
    {
        var (page, recorder, _) = await OpenAsync();
        byte[] before = await CanvasAsync(page, "decoded");
        await page.FocusAsync("#z2");
        for (int i = 0; i < 100; i++)
        {
            int frames = await FramesAsync(page, "decoded");
            await page.Keyboard.PressAsync("ArrowRight");
            if (i % 25 == 24) await WaitForNewFrameAsync(page, "decoded", frames);
        }
        await page.WaitForFunctionAsync("() => document.getElementById('decoded').dataset.busy === 'false'");
        float[] z = await SliderZAsync(page);
        Assert.That(z[1], Is.EqualTo(1.0f).Within(1e-6f), "100 ArrowRight presses of step 0.01 should reach 1");
        Assert.That(await page.EvaluateAsync<string>("() => document.activeElement.id"), Is.EqualTo("z2"));
        byte[] after = await CanvasAsync(page, "decoded");
        Assert.That(MaxDifference(Red(before), Red(after)), Is.GreaterThan(20), "the keyboard did not change the image");
        Assert.That(MaxDifference(Red(after), await ReferenceDecodeAsync(z)), Is.LessThanOrEqualTo(1));
        recorder.AssertNoErrors();
    }

    [Test]
    public async Task ClickingASampleLoadsItsZIntoTheSliders()
    {
        var (page, recorder, _) = await OpenAsync();
        byte[] sample = await page.EvaluateAsync<int[]>(
            "() => { const c = document.querySelector('#sample-grid canvas'); return Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data); }")
            .ContinueWith(t => t.Result.Select(v => (byte)v).ToArray());
        int frames = await FramesAsync(page, "decoded");
        await page.ClickAsync("#sample-grid button >> nth=0");
        await WaitForNewFrameAsync(page, "decoded", frames);
        float[] z = await SliderZAsync(page);
        Assert.That(z.Any(v => v != 0), Is.True, "the sample's z did not reach the sliders");
        Assert.That(MaxDifference(Red(await CanvasAsync(page, "decoded")), Red(sample)), Is.LessThanOrEqualTo(1),
            "the sliders' image is not the clicked sample");
        recorder.AssertNoErrors();
    }

    [Test]
    public async Task DroppingADigitShowsTheServiceReconstructionAndScore()
    {
        var (page, recorder, _) = await OpenAsync();
        byte[] png = MnistDigitPng(0);
        int frames = await FramesAsync(page, "reconstruction");
        var dataTransfer = await page.EvaluateHandleAsync(
            "bytes => { const t = new DataTransfer(); t.items.add(new File([new Uint8Array(bytes)], 'digit.png', { type: 'image/png' })); return t; }",
            png.Select(b => (int)b).ToArray());
        await page.DispatchEventAsync("#drop-main", "drop", new Dictionary<string, object> { ["dataTransfer"] = dataTransfer });
        await page.WaitForSelectorAsync("#score[data-score]", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });
        Assert.That(await FramesAsync(page, "reconstruction"), Is.GreaterThan(frames));

        byte[] reconstruction = Red(await CanvasAsync(page, "reconstruction"));
        int difference = MaxDifference(reconstruction, await ReferenceReconstructAsync(png));
        Assert.That(difference, Is.LessThanOrEqualTo(1), "the page's reconstruction is not the service's");
        Assert.That(Red(await CanvasAsync(page, "original")), Is.EqualTo(ImageFile.Decode(png).Pixels), "the original is not the dropped digit");

        double shown = double.Parse(await page.GetAttributeAsync("#score", "data-score") ?? "", CultureInfo.InvariantCulture);
        double reference = await ReferenceScoreAsync(png);
        Assert.That(shown, Is.EqualTo(reference).Within(1e-9 * Math.Abs(reference)), "the page's score is not the service's");
        string scoreText = await page.InnerTextAsync("#score");
        Assert.That(scoreText, Does.Contain("Anomaly score").And.Contain("no threshold"));
        Assert.That(await page.Locator("#posterior tbody tr").CountAsync(), Is.EqualTo(16), "mu and sigma per dimension");
        TestContext.Out.WriteLine($"digit 0: score {shown:F3} nats (service {reference:F3}); reconstruction within {difference} of the service's");
        await AttachScreenshotAsync(page, "ui-your-image.png", "A dropped MNIST test digit with its reconstruction, posterior and score");
        recorder.AssertNoErrors();
        recorder.AssertAllSameOrigin(Server.BaseAddress);
    }

    [Test]
    public async Task ALargerPickedImageIsResizedOnRequestOrRefusedWithTheApiDetail()
    {
        var (page, _, _) = await OpenAsync();
        var file = new FilePayload { Name = "big.png", MimeType = "image/png", Buffer = MnistDigitPng(1, scale: 3) };

        await page.SetCheckedAsync("#resize", false);
        await page.SetInputFilesAsync("#file-main", file);
        await page.WaitForSelectorAsync("#error:not([hidden])");
        Assert.That(await page.InnerTextAsync("#error-text"), Does.Contain("answered 400").And.Contain("image is 84×84 (H×W) pixels; this model takes 28×28 (H×W)"));

        await page.ClickAsync("#error-close");
        await page.SetCheckedAsync("#resize", true);
        await page.SetInputFilesAsync("#file-main", Array.Empty<FilePayload>());
        await page.SetInputFilesAsync("#file-main", file);
        await page.WaitForSelectorAsync("#score[data-score]", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });
        Assert.That(await page.InnerTextAsync("#yours-note"), Does.Contain("big.png: 84 × 84, resized to 28 × 28"));
        Assert.That(await page.IsHiddenAsync("#error"), Is.True, await page.InnerTextAsync("#error-text"));
    }

    [Test]
    public async Task InterpolationStripRunsFromTheReconstructionOfAToThatOfB()
    {
        var (page, recorder, _) = await OpenAsync();
        byte[] a = MnistDigitPng(2), b = MnistDigitPng(3);
        await page.SetInputFilesAsync("#file-a", new FilePayload { Name = "a.png", MimeType = "image/png", Buffer = a });
        await page.SetInputFilesAsync("#file-b", new FilePayload { Name = "b.png", MimeType = "image/png", Buffer = b });
        await page.SelectOptionAsync("#path", "spherical");
        await page.FillAsync("#steps", "7");
        await page.ClickAsync("#interpolation-form button[type=submit]");
        await page.WaitForFunctionAsync("() => Number(document.getElementById('strip').dataset.frames || 0) > 0");

        byte[] strip = Red(await CanvasAsync(page, "strip"));
        Assert.That(strip, Has.Length.EqualTo(7 * 28 * 28));
        byte[] Tile(int n) => [.. Enumerable.Range(0, 28 * 28).Select(i => strip[(i / 28) * 7 * 28 + n * 28 + i % 28])];
        Assert.That(MaxDifference(Tile(0), await ReferenceReconstructAsync(a)), Is.LessThanOrEqualTo(1), "the strip does not start at A's mean reconstruction");
        Assert.That(MaxDifference(Tile(6), await ReferenceReconstructAsync(b)), Is.LessThanOrEqualTo(1), "the strip does not end at B's mean reconstruction");
        Assert.That(MaxDifference(Tile(0), Tile(3)), Is.GreaterThan(20), "the middle of the path looks like its start");
        recorder.AssertNoErrors();
    }

    [Test]
    public async Task FitsA360PixelScreenAndFollowsTheDarkThemeWithAToggle()
    {
        var (page, recorder, _) = await OpenAsync(width: 360, height: 780, colorScheme: ColorScheme.Dark);
        int scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.That(scrollWidth, Is.LessThanOrEqualTo(360), "the page scrolls sideways at 360 px");
        Task<string> Background() => page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
        Assert.That(await Background(), Is.EqualTo("rgb(18, 19, 23)"), "the system's dark scheme is not followed");
        await page.ClickAsync("#theme"); // auto -> light
        Assert.That(await Background(), Is.EqualTo("rgb(251, 251, 252)"));
        await page.ClickAsync("#theme"); // light -> dark
        Assert.That(await Background(), Is.EqualTo("rgb(18, 19, 23)"));
        Assert.That(await page.GetAttributeAsync("#theme", "aria-label"), Does.Contain("dark"));
        await AttachScreenshotAsync(page, "ui-360-dark.png", "The page at 360 px wide in the dark theme");

        var unlabelled = await page.EvaluateAsync<string[]>(
            "() => Array.from(document.querySelectorAll('input, select, button')).filter(e => !(e.labels?.length || e.getAttribute('aria-label') || e.textContent.trim())).map(e => e.id || e.outerHTML)");
        Assert.That(unlabelled, Is.Empty, "controls without a label");
        recorder.AssertNoErrors();
    }

    [Test]
    public async Task MeasuresDecodedFramesPerSecondDuringASliderDrag()
    {
        var (page, recorder, _) = await OpenAsync();
        // The drag is scripted inside the page (an input event on z3 every 4 ms, sweeping -2.5..2.5 every 1.5 s), so
        // the input outpaces any decoder and the count measures the page and the service, not Playwright's round trips.
        var result = await page.EvaluateAsync<DragResult>(@"async () => {
            const input = document.getElementById('z3'), canvas = document.getElementById('decoded'), fps = document.getElementById('fps');
            const start = Number(canvas.dataset.frames || 0), t0 = performance.now();
            let inputs = 0, shown = 0;
            await new Promise(resolve => {
                const timer = setInterval(() => {
                    const t = (performance.now() - t0) / 1000;
                    input.value = String(2.5 * Math.sin(t * 2 * Math.PI / 1.5));
                    input.dispatchEvent(new Event('input', { bubbles: true }));
                    inputs++;
                    shown = Math.max(shown, parseInt(fps.textContent, 10) || 0);
                    if (t >= 4) { clearInterval(timer); resolve(); }
                }, 4);
            });
            return { frames: Number(canvas.dataset.frames || 0) - start, seconds: (performance.now() - t0) / 1000, inputs, shown };
        }");

        double rate = result.Frames / result.Seconds;
        string report = string.Create(CultureInfo.InvariantCulture,
            $"models/mnist-conv (28x28, latent 16), {Environment.ProcessorCount} cores: {result.Frames} decoded frames in {result.Seconds:F2} s of scripted slider drag = {rate:F1} frames/s " +
            $"({result.Inputs} input events; the page's own counter peaked at {result.Shown} frames/s; the issue's target is 20 frames/s, not asserted here)");
        TestContext.Out.WriteLine(report);
        string path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "ui-decode-fps.txt");
        await File.WriteAllTextAsync(path, report + Environment.NewLine);
        TestContext.AddTestAttachment(path, "Decoded frames per second during a scripted slider drag");
        Assert.That(result.Frames, Is.GreaterThan(0), "no frame was decoded during the drag");
        Assert.That(result.Inputs, Is.GreaterThan(result.Frames), "more frames than inputs: the decoder cannot be coalescing");
        recorder.AssertNoErrors();
    }

    /// <summary>What the in-page drag returns (Playwright fills the properties by name).</summary>
    private sealed class DragResult
    {
        public int Frames { get; set; }

        public double Seconds { get; set; }

        public int Inputs { get; set; }

        public int Shown { get; set; }
    }
}
