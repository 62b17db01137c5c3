// The model explorer page in Debian's chromium against a real `runtime serve` of models/mnist-conv (latent 16, with its
// shipped calibration.json, latent-points.json and examples/). Each test drives what a person did in issue #22 and
// checks the fixed behaviour, with axe-core finding no violation in each state it reaches:
//   - the page loads with no console error, no request leaving the server, the card (threshold included) and, for a
//     16-D model, the latent map in its principal-component plane with 1000 test points and a legend;
//   - sliders (mouse; arrows by 0.1, Page Up/Down by 1) redraw exactly the service's decoding of the z they show, and
//     move the map's marker; samples are one Tab stop whose arrow keys load each sample's z (the service's z);
//   - a dropped digit shows the service's reconstruction and score, flagged against the shipped threshold, and its
//     place on the map; a failed upload (4000 × 4000 JPEG with Resize off, a text file named .png) clears the previous
//     results and says what to do under the file control, in view; ticking Resize, or picking the same file again,
//     runs it again; WebP is accepted and colour becomes BT.709 grey as the runtime makes it; a dark digit on light
//     paper is flagged and hinted, and Invert fixes it;
//   - a click on the PCA map sets z on the principal plane the service gives, a click in two chosen dimensions sets
//     only those; the interpolation strip runs from A to B and its path is drawn on the map;
//   - at 360 px nothing scrolls sideways, the dark theme applies, and focus rings keep 3:1 against the background;
//   - frames per second and bytes (at load, per frame; PageWeight) are measured and reported, not asserted.
using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;
using VaeOnnx.Runtime.Core.Imaging;

namespace VaeOnnx.Tests.Runtime.AspNetCore.Ui;

[TestFixture]
public sealed class ConvModelPageTests : ExplorerFixture
{
    protected override string ModelName => "mnist-conv";

    [Test]
    public async Task LoadsWithTheCardAndAPrincipalComponentMapOfTheTestPoints()
    {
        var (page, recorder, response) = await OpenAsync();
        Assert.That(response.Status, Is.EqualTo(200));
        Assert.That(response.Headers["content-security-policy"], Does.StartWith("default-src 'self'"));

        string card = await page.InnerTextAsync("#card-list");
        Assert.That(card, Does.Contain("conv").And.Contain("28 × 28").And.Contain("bernoulli").And.Contain("101.57").And.Contain("mnist"));
        Assert.That(card, Does.Contain("156.69 nats (nll, k = 16, percentile 99 of 5000 images)"), "the shipped calibration");
        Assert.That(await page.Locator("#sliders input[type=range]").CountAsync(), Is.EqualTo(16));
        Assert.That(await page.Locator("#sample-grid [role=option]").CountAsync(), Is.EqualTo(16));
        Assert.That(await page.IsVisibleAsync("#map-canvas"), Is.True, "a 16-latent model has a map too");
        Assert.That(await page.GetAttributeAsync("#map", "data-points"), Is.EqualTo("1000"));
        Assert.That(await page.GetAttributeAsync("#map-canvas", "data-plane"), Is.EqualTo("pca"));
        Assert.That(await page.InputValueAsync("#map-view"), Is.EqualTo("pca"));
        Assert.That(await page.Locator("#map-legend li").AllInnerTextsAsync(), Has.Count.EqualTo(10).And.Contains("7 (111)"));
        Assert.That(await page.InnerTextAsync("#map-x-label"), Does.Contain("PC1 (").And.Contain("% of the points' variance"));
        Assert.That(await page.InnerTextAsync("#map-y-label"), Does.Contain("PC2 ("));
        Assert.That(Red(await CanvasAsync(page, "decoded")).Max(), Is.GreaterThan(0), "the decoded image of z = 0 is all black");
        Assert.That(Red(await CanvasAsync(page, "manifold-grid")).Max(), Is.GreaterThan(0), "the lattice over the map is drawn");
        await AxeAsync(page, "mnist-conv loaded");

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
        Assert.That(difference, Is.Zero, "the page shows another image than the service decodes for its z (the page draws the service's PNG)");
        recorder.AssertNoErrors();
    }

    [Test]
    public async Task SliderKeysStepByATenthAndPageKeysByOneAndMoveTheMap()
    {
        var (page, recorder, _) = await OpenAsync();
        byte[] before = await CanvasAsync(page, "decoded");
        string mapBefore = await page.GetAttributeAsync("#map-canvas", "data-x") ?? "";
        await page.FocusAsync("#z2");
        async Task<float> PressAsync(string key, int times = 1)
        {
            for (int i = 0; i < times; i++) await page.Keyboard.PressAsync(key);
            await WaitForLiveAsync(page);
            return (await SliderZAsync(page))[1];
        }
        Assert.That(await PressAsync("ArrowRight", 3), Is.EqualTo(0.3f).Within(1e-6f), "three arrow presses of 0.1");
        Assert.That(await PressAsync("PageUp"), Is.EqualTo(1.3f).Within(1e-6f), "Page Up moves by 1");
        Assert.That(await PressAsync("PageDown", 2), Is.EqualTo(-0.7f).Within(1e-6f), "Page Down moves by 1");
        Assert.That(await PressAsync("ArrowLeft"), Is.EqualTo(-0.8f).Within(1e-6f));
        Assert.That(await PressAsync("End"), Is.EqualTo(3f));
        Assert.That(await PressAsync("Home"), Is.EqualTo(-3f));
        Assert.That(await PressAsync("PageUp", 2), Is.EqualTo(-1f).Within(1e-6f));
        Assert.That(await page.EvaluateAsync<string>("() => document.activeElement.id"), Is.EqualTo("z2"));
        Assert.That(await page.InnerTextAsync("label:has(#z2) output"), Is.EqualTo("-1.00"));

        float[] z = await SliderZAsync(page);
        byte[] after = await CanvasAsync(page, "decoded");
        Assert.That(MaxDifference(Red(before), Red(after)), Is.GreaterThan(20), "the keyboard did not change the image");
        Assert.That(MaxDifference(Red(after), await ReferenceDecodeAsync(z)), Is.Zero);
        Assert.That(await page.GetAttributeAsync("#map-canvas", "data-x"), Is.Not.EqualTo(mapBefore), "the map's marker follows the sliders");
        await AxeAsync(page, "slider focused after keys");
        recorder.AssertNoErrors();
    }

    [Test]
    public async Task SamplesAreOneTabStopAndTheirArrowKeysLoadTheServicesZ()
    {
        var (page, recorder, _) = await OpenAsync();
        Assert.That(await page.Locator("#sample-grid [tabindex='0']").CountAsync(), Is.EqualTo(1), "one Tab stop for all samples");
        await page.FocusAsync("#sample-count");
        await page.Keyboard.PressAsync("Tab"); // the Sample button
        await page.Keyboard.PressAsync("Tab"); // the list
        Assert.That(await page.EvaluateAsync<string>("() => document.activeElement.getAttribute('role')"), Is.EqualTo("option"));
        await page.Keyboard.PressAsync("ArrowRight");
        await WaitForLiveAsync(page);
        Assert.That(await page.EvaluateAsync<int>("() => Array.from(document.querySelectorAll('#sample-grid [role=option]')).indexOf(document.activeElement)"), Is.EqualTo(1));
        Assert.That(await page.GetAttributeAsync("#sample-grid [role=option] >> nth=1", "aria-selected"), Is.EqualTo("true"));
        Assert.That(await page.Locator("#sample-grid [tabindex='0']").CountAsync(), Is.EqualTo(1));
        await page.Keyboard.PressAsync("Tab");
        Assert.That(await page.EvaluateAsync<string>("() => document.activeElement.closest('#sample-grid') === null ? 'left' : 'inside'"), Is.EqualTo("left"),
            "Tab leaves the list after one stop");

        using var answer = await Api.PostAsync("/v1/latents/sample", new StringContent("""{"count": 16, "seed": 1, "temperature": 1}""", System.Text.Encoding.UTF8, "application/json"));
        using var json = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        float[] expected = [.. json.RootElement.GetProperty("z")[1].EnumerateArray().Select(v => v.GetSingle())];
        float[] shown = await SliderZAsync(page);
        for (int i = 0; i < 16; i++) Assert.That(shown[i], Is.EqualTo(Math.Clamp(expected[i], -3, 3)).Within(1e-6f), $"z{i + 1}");
        byte[] thumbnail = Red(await PixelsAsync(page, "#sample-grid [role=option]:nth-child(2) canvas"));
        Assert.That(MaxDifference(Red(await CanvasAsync(page, "decoded")), thumbnail), Is.Zero, "the live view shows the chosen sample");
        await AxeAsync(page, "sample chosen by keyboard");
        recorder.AssertNoErrors();
    }

    [Test]
    public async Task ADroppedDigitShowsTheServiceReconstructionScoreFlagAndPlaceOnTheMap()
    {
        var (page, recorder, _) = await OpenAsync();
        byte[] png = MnistDigitPng(0);
        await DropFileAsync(page, "#drop-main", png, "digit.png", "image/png");
        Assert.That(await WaitForAnalysisAsync(page), Is.EqualTo("done"), await page.InnerTextAsync("#yours-notice"));

        byte[] reconstruction = Red(await CanvasAsync(page, "reconstruction"));
        int difference = MaxDifference(reconstruction, await ReferenceReconstructAsync(png));
        Assert.That(difference, Is.Zero, "the page's reconstruction is not the service's");
        Assert.That(Red(await CanvasAsync(page, "original")), Is.EqualTo(ImageFile.Decode(png).Pixels), "the original is not the dropped digit");

        double shown = double.Parse(await page.GetAttributeAsync("#score", "data-score") ?? "", CultureInfo.InvariantCulture);
        double reference = await ReferenceScoreAsync(png);
        Assert.That(shown, Is.EqualTo(reference).Within(1e-9 * Math.Abs(reference)), "the page's score is not the service's");
        string scoreText = await page.InnerTextAsync("#score");
        Assert.That(scoreText, Does.Contain("Threshold: 156.69 nats").And.Contain("normal: at or below the threshold"));
        Assert.That(await page.Locator("#posterior tbody tr").CountAsync(), Is.EqualTo(16), "mu and sigma per dimension");

        var (mean, first, second) = await PrincipalPlaneAsync();
        float[] mu = await ReferenceMuAsync(png);
        double x = mu.Select((v, j) => (v - mean[j]) * first[j]).Sum(), y = mu.Select((v, j) => (v - mean[j]) * second[j]).Sum();
        Assert.That(double.Parse(await page.GetAttributeAsync("#map-canvas", "data-image-x") ?? "nan", CultureInfo.InvariantCulture), Is.EqualTo(x).Within(1e-5));
        Assert.That(double.Parse(await page.GetAttributeAsync("#map-canvas", "data-image-y") ?? "nan", CultureInfo.InvariantCulture), Is.EqualTo(y).Within(1e-5));
        TestContext.Out.WriteLine($"digit 0: score {shown:F3} nats (service {reference:F3}); map position ({x:F3}, {y:F3}) on the principal plane");
        await AxeAsync(page, "your image analysed");
        recorder.AssertNoErrors();
        recorder.AssertAllSameOrigin(Server.BaseAddress);
    }

    [Test]
    public async Task AFailedUploadClearsThePreviousResultsAndSaysWhatToDoAtTheControl()
    {
        var (page, recorder, _) = await OpenAsync(height: 800);
        var digit = new FilePayload { Name = "seven.png", MimeType = "image/png", Buffer = MnistDigitPng(0) };
        await page.SetInputFilesAsync("#file-main", digit);
        Assert.That(await WaitForAnalysisAsync(page), Is.EqualTo("done"));
        Assert.That(await page.GetAttributeAsync("#score", "data-score"), Is.Not.Null);

        // 1. A 4000 × 4000 noise JPEG with Resize off.
        await page.SetCheckedAsync("#resize", false); // re-runs the seven: it fits, so it still works
        Assert.That(await WaitForAnalysisAsync(page), Is.EqualTo("done"));
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await page.SetInputFilesAsync("#file-main", new FilePayload { Name = "noise.jpg", MimeType = "image/jpeg", Buffer = NoiseJpeg(4000, 4000) });
        Assert.That(await WaitForAnalysisAsync(page), Is.EqualTo("failed"));
        string message = await page.InnerTextAsync("#yours-notice");
        Assert.That(message, Does.Contain("noise.jpg is 4000 × 4000 pixels; this model takes 28 × 28").And.Contain("Tick “Resize to the model's size”"));
        Assert.That(message, Does.Not.Contain("--"), "no server flags: the person can only act on the page");
        Assert.That(await page.GetAttributeAsync("#yours-notice", "role"), Is.EqualTo("alert"), "announced");
        Assert.That(await InViewAsync(page, "#yours-notice"), Is.True, "the message is scrolled into view");
        await AssertResultsClearedAsync(page);
        await AxeAsync(page, "upload refused: too large without Resize");
        await AttachScreenshotAsync(page, "ui-upload-refused.png", "A refused upload: the message under the file control, the seven's results cleared", fullPage: false);

        // 2. Ticking Resize runs the refused file again.
        await page.SetCheckedAsync("#resize", true);
        Assert.That(await WaitForAnalysisAsync(page), Is.EqualTo("done"), await page.InnerTextAsync("#yours-notice"));
        Assert.That(await page.InnerTextAsync("#yours-note"), Does.Contain("noise.jpg: 4000 × 4000, resized to 28 × 28"));
        Assert.That(await page.InnerTextAsync("#yours-notice"), Is.Empty);
        Assert.That(await page.InnerTextAsync("#score"), Does.Contain("ANOMALOUS"), "noise is far above the shipped threshold");

        // 3. A text file named .png: the browser cannot decode it, the service refuses it, the results go.
        var text = new FilePayload { Name = "notes.png", MimeType = "image/png", Buffer = "these are my notes, not a picture"u8.ToArray() };
        await page.SetInputFilesAsync("#file-main", text);
        Assert.That(await WaitForAnalysisAsync(page), Is.EqualTo("failed"));
        Assert.That(await page.InnerTextAsync("#yours-notice"), Does.Contain("The service could not use notes.png").And.Contain("Pick a PNG, JPEG, WebP"));
        await AssertResultsClearedAsync(page);
        await AxeAsync(page, "upload refused: not an image");

        // 4. Picking the same file again runs it again.
        int runs = int.Parse(await page.GetAttributeAsync("#yours", "data-runs") ?? "0", CultureInfo.InvariantCulture);
        await page.SetInputFilesAsync("#file-main", digit);
        Assert.That(await WaitForAnalysisAsync(page), Is.EqualTo("done"));
        await page.SetInputFilesAsync("#file-main", digit);
        await page.WaitForFunctionAsync("n => Number(document.getElementById('yours').dataset.runs) >= n", runs + 2);
        Assert.That(await WaitForAnalysisAsync(page), Is.EqualTo("done"));
        Assert.That(await page.InnerTextAsync("#score"), Does.Contain("normal"));
        recorder.AssertNoErrors(allowedRefusals: 1); // the service's 400 for the text file (shown by the browser as a failed resource)
    }

    [Test]
    public async Task WebpIsAcceptedAndColourBecomesTheRuntimesBt709Grey()
    {
        var (page, recorder, _) = await OpenAsync();
        var digit = MnistDigit(1);
        using var colour = new Image<Rgb24>(28, 28);
        for (int y = 0; y < 28; y++)
            for (int x = 0; x < 28; x++)
            {
                byte v = digit.Pixels[y * 28 + x];
                colour[x, y] = new Rgb24(v, (byte)(v * 3 / 5), (byte)(255 - v / 2)); // a colour picture of the digit
            }
        using var webp = new MemoryStream();
        colour.Save(webp, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless });
        using var png = new MemoryStream();
        colour.SaveAsPng(png);

        await page.SetInputFilesAsync("#file-main", new FilePayload { Name = "digit.webp", MimeType = "image/webp", Buffer = webp.ToArray() });
        Assert.That(await WaitForAnalysisAsync(page), Is.EqualTo("done"), await page.InnerTextAsync("#yours-notice"));
        Assert.That(await page.InnerTextAsync("#yours-note"), Does.Contain("digit.webp: 28 × 28, grey"));
        byte[] greyOnPage = Red(await CanvasAsync(page, "original"));
        byte[] greyInRuntime = ImageFile.Decode(png.ToArray(), new ImageReadOptions { Grey = true }).ToBitDepth8().Pixels;
        int difference = MaxDifference(greyOnPage, greyInRuntime);
        TestContext.Out.WriteLine($"BT.709 grey on the page against the runtime's (ImageSharp Grayscale): largest difference {difference} of 255");
        Assert.That(difference, Is.LessThanOrEqualTo(1), "the page and the runtime make different greys of one colour image");
        recorder.AssertNoErrors();
    }

    [Test]
    public async Task ADarkDigitOnLightPaperIsFlaggedAndHintedAndInvertFixesIt()
    {
        var (page, recorder, _) = await OpenAsync();
        var digit = MnistDigit(3);
        var paper = new PixelImage(28, 28, 1, [.. digit.Pixels.Select(v => (byte)(255 - v))]);
        await page.SetInputFilesAsync("#file-main", new FilePayload { Name = "paper.png", MimeType = "image/png", Buffer = ImageFile.EncodePng(paper) });
        Assert.That(await WaitForAnalysisAsync(page), Is.EqualTo("done"));
        Assert.That(await page.InnerTextAsync("#score"), Does.Contain("ANOMALOUS"));
        Assert.That(await page.InnerTextAsync("#yours-hint"), Does.Contain("tick “Invert colours”"));
        await AxeAsync(page, "dark ink on light paper, hinted");

        await page.SetCheckedAsync("#invert", true);
        Assert.That(await WaitForAnalysisAsync(page), Is.EqualTo("done"));
        Assert.That(await page.InnerTextAsync("#score"), Does.Contain("normal: at or below the threshold"));
        Assert.That(await page.InnerTextAsync("#yours-hint"), Is.Empty);
        Assert.That(Red(await CanvasAsync(page, "original")), Is.EqualTo(digit.Pixels), "inverting the paper gives back the digit");
        recorder.AssertNoErrors();
    }

    [Test]
    public async Task AClickOnTheMapSetsZOnThePrincipalPlaneOrInTwoChosenDimensions()
    {
        var (page, recorder, _) = await OpenAsync();
        var (mean, first, second) = await PrincipalPlaneAsync();
        var box = await BoxAsync(page, "#map-canvas");
        int frames = await FramesAsync(page, "decoded");
        await page.Mouse.ClickAsync(box.X + box.Width * 0.7f, box.Y + box.Width * 0.35f);
        await WaitForNewFrameAsync(page, "decoded", frames);
        double x = Coordinate(await page.GetAttributeAsync("#map-canvas", "data-x")), y = Coordinate(await page.GetAttributeAsync("#map-canvas", "data-y"));
        Assert.That(x, Is.GreaterThan(0.5), "right of the centre is positive PC1");
        Assert.That(y, Is.GreaterThan(0.3), "above the centre is positive PC2");
        double[] z = await CurrentZAsync(page);
        for (int j = 0; j < 16; j++)
            Assert.That(z[j], Is.EqualTo(mean[j] + x * first[j] + y * second[j]).Within(1e-5), $"z{j + 1} is not the plane's point");
        Assert.That(MaxDifference(Red(await CanvasAsync(page, "decoded")), await ReferenceDecodeAsync(z)), Is.Zero);

        await page.SelectOptionAsync("#map-view", "dims");
        await page.SelectOptionAsync("#map-x", "2");
        await page.SelectOptionAsync("#map-y", "6");
        await page.WaitForFunctionAsync("() => document.getElementById('map-x-label').textContent.includes('z3')");
        Assert.That(await page.InnerTextAsync("#map-y-label"), Does.Contain("z7"));
        double[] before = await CurrentZAsync(page);
        frames = await FramesAsync(page, "decoded");
        await page.Mouse.ClickAsync(box.X + box.Width * 0.25f, box.Y + box.Width * 0.6f);
        await WaitForNewFrameAsync(page, "decoded", frames);
        double[] after = await CurrentZAsync(page);
        double dimX = Coordinate(await page.GetAttributeAsync("#map-canvas", "data-x")), dimY = Coordinate(await page.GetAttributeAsync("#map-canvas", "data-y"));
        Assert.That(after[2], Is.EqualTo(dimX).Within(1e-9));
        Assert.That(after[6], Is.EqualTo(dimY).Within(1e-9));
        Assert.That(after[2], Is.LessThan(-0.5), "left of the centre is negative z3");
        for (int j = 0; j < 16; j++)
            if (j != 2 && j != 6) Assert.That(after[j], Is.EqualTo(before[j]), $"z{j + 1} must keep its value");
        Assert.That((await SliderZAsync(page))[2], Is.EqualTo(Math.Clamp(after[2], -3, 3)).Within(1e-6), "the slider follows the map");
        await AxeAsync(page, "map in two dimensions");
        recorder.AssertNoErrors();
    }

    [Test]
    public async Task InterpolationStripRunsFromAToBAndItsPathIsOnTheMap()
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
        Assert.That(MaxDifference(Tile(0), await ReferenceReconstructAsync(a)), Is.Zero, "the strip does not start at A's mean reconstruction");
        Assert.That(MaxDifference(Tile(6), await ReferenceReconstructAsync(b)), Is.Zero, "the strip does not end at B's mean reconstruction");
        Assert.That(MaxDifference(Tile(0), Tile(3)), Is.GreaterThan(20), "the middle of the path looks like its start");
        Assert.That(await page.GetAttributeAsync("#map-canvas", "data-path-steps"), Is.EqualTo("7"), "the path is drawn on the map");

        await page.FillAsync("#steps", "999");
        await page.EvalOnSelectorAsync("#steps", "e => e.removeAttribute('max')");
        await page.ClickAsync("#interpolation-form button[type=submit]");
        await page.WaitForFunctionAsync("() => document.getElementById('interpolation-notice').textContent.length > 0");
        Assert.That(await page.InnerTextAsync("#interpolation-notice"), Does.Contain("steps is 999; it must be from 2 to 64"));
        Assert.That(await InViewAsync(page, "#interpolation-notice"), Is.True);
        await AxeAsync(page, "interpolation refused");
        recorder.AssertNoErrors(allowedRefusals: 1);
    }

    [Test]
    public async Task FitsA360PixelScreenFollowsTheDarkThemeAndFocusRingsKeepContrast()
    {
        var (page, recorder, _) = await OpenAsync(width: 360, height: 780, colorScheme: ColorScheme.Dark);
        int scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        string[] wide = await page.EvaluateAsync<string[]>(
            "() => Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > 360.5).map(e => `${e.tagName.toLowerCase()}#${e.id}.${e.className} right ${Math.round(e.getBoundingClientRect().right)}`).slice(0, 12)");
        Assert.That(scrollWidth, Is.LessThanOrEqualTo(360), $"the page scrolls sideways at 360 px: {string.Join("; ", wide)}");
        Task<string> Background() => page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
        Assert.That(await Background(), Is.EqualTo("rgb(18, 19, 23)"), "the system's dark scheme is not followed");
        await AxeAsync(page, "360 px, dark");
        double darkRing = await FocusContrastAsync(page);
        await page.ClickAsync("#theme"); // auto -> light
        Assert.That(await Background(), Is.EqualTo("rgb(251, 251, 252)"));
        Assert.That(await page.InnerTextAsync("#theme"), Is.EqualTo("Theme: light"), "the visible text is the accessible name");
        double lightRing = await FocusContrastAsync(page);
        await AxeAsync(page, "360 px, light");
        await page.ClickAsync("#theme"); // light -> dark
        Assert.That(await Background(), Is.EqualTo("rgb(18, 19, 23)"));
        TestContext.Out.WriteLine($"focus ring contrast against the page: light {lightRing:F2}:1, dark {darkRing:F2}:1");
        Assert.That(lightRing, Is.GreaterThanOrEqualTo(3), "the focus ring in the light theme");
        Assert.That(darkRing, Is.GreaterThanOrEqualTo(3), "the focus ring in the dark theme");

        var unlabelled = await page.EvaluateAsync<string[]>(
            "() => Array.from(document.querySelectorAll('input, select, button')).filter(e => !(e.labels?.length || e.getAttribute('aria-label') || e.textContent.trim())).map(e => e.id || e.outerHTML)");
        Assert.That(unlabelled, Is.Empty, "controls without a label");
        recorder.AssertNoErrors();
    }

    [Test]
    public async Task MeasuresFramesPerSecondAndBytes()
    {
        var (page, recorder, _) = await OpenAsync();
        var types = new List<string>();
        page.Response += (_, response) =>
        {
            if (response.Url.EndsWith("/v1/decode", StringComparison.Ordinal)) types.Add(response.Headers.GetValueOrDefault("content-type", ""));
        };
        var weight = await PageWeight.MeasureAsync(page);
        string report = $"models/mnist-conv (28x28, latent 16), {Environment.ProcessorCount} cores, Debian chromium over http://127.0.0.1: {weight}";
        TestContext.Out.WriteLine(report);
        string path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "ui-weight-and-fps.txt");
        await File.WriteAllTextAsync(path, report + Environment.NewLine);
        TestContext.AddTestAttachment(path, "Bytes at load and per frame, decoded frames per second during a scripted slider drag");
        Assert.That(weight.Frames, Is.GreaterThan(0), "no frame was decoded during the drag");
        Assert.That(weight.Inputs, Is.GreaterThan(weight.Frames), "more frames than inputs: the decoder cannot be coalescing");
        Assert.That(types, Is.Not.Empty.And.All.EqualTo("image/png"), "frames come as PNG");
        Assert.That(weight.FileBodyBytes, Is.LessThan(weight.FileDecodedBytes / 2), "the page's files are sent compressed");
        recorder.AssertNoErrors();
    }

    private static async Task AssertResultsClearedAsync(IPage page)
    {
        Assert.Multiple(async () =>
        {
            Assert.That(await page.GetAttributeAsync("#reconstruction", "data-blank"), Is.EqualTo("true"), "the previous reconstruction is still shown");
            Assert.That(await page.GetAttributeAsync("#score", "data-score"), Is.Null, "the previous score is still shown");
            Assert.That(await page.IsHiddenAsync("#posterior"), Is.True, "the previous posterior is still shown");
            Assert.That(await page.GetAttributeAsync("#map-canvas", "data-image-x"), Is.Null, "the previous image is still marked on the map");
        });
    }

    private static double Coordinate(string? text) => double.Parse(text ?? "nan", CultureInfo.InvariantCulture);

    private async Task<(float[] Mean, float[] First, float[] Second)> PrincipalPlaneAsync()
    {
        using var json = JsonDocument.Parse(await Api.GetStringAsync("/v1/latents/points"));
        var p = json.RootElement.GetProperty("principal");
        float[] Read(string name) => [.. p.GetProperty(name).EnumerateArray().Select(v => v.GetSingle())];
        return (Read("mean"), Read("first"), Read("second"));
    }

    // Tabs to the Theme button from the heading (so :focus-visible applies as for any keyboard user) and answers the
    // WCAG contrast ratio of its outline colour against the page's background.
    private static async Task<double> FocusContrastAsync(IPage page)
    {
        await page.ClickAsync("h1");
        await page.Keyboard.PressAsync("Tab");
        Assert.That(await page.EvaluateAsync<bool>("() => document.activeElement.id === 'theme' && document.activeElement.matches(':focus-visible')"), Is.True,
            "Tab from the heading reaches the Theme button with a visible focus");
        return await page.EvaluateAsync<double>(@"() => {
            const style = getComputedStyle(document.activeElement);
            if (style.outlineStyle === 'none' || parseFloat(style.outlineWidth) < 2) return 0;
            const parse = (c) => c.match(/[\d.]+/g).slice(0, 3).map(Number);
            const luminance = (rgb) => rgb.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
              .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
            const ring = luminance(parse(style.outlineColor)), page = luminance(parse(getComputedStyle(document.body).backgroundColor));
            return (Math.max(ring, page) + 0.05) / (Math.min(ring, page) + 0.05);
        }");
    }

    private static byte[] NoiseJpeg(int width, int height)
    {
        using var image = new Image<L8>(width, height);
        var random = new Random(22);
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++) row[x] = new L8((byte)random.Next(256));
            }
        });
        using var stream = new MemoryStream();
        image.Save(stream, new JpegEncoder { Quality = 75 });
        return stream.ToArray();
    }
}
