// Test helper: what the page costs, measured inside the browser from the Resource Timing entries (so the same code
// measures any version of the page): bytes at load (every response until the page is ready, bodies as sent and
// uncompressed, and the page's own files), then a scripted drag of slider z3 (z1 for smaller latents) for a few seconds (an input event every
// 4 ms, sweeping -2.5..2.5 every 1.5 s, faster than any decoder) with the frames drawn, the frames per second and the
// bytes of each v1/decode answer. It asserts nothing; tests and BENCHMARKS.md read the numbers.
using System.Globalization;
using Microsoft.Playwright;

namespace VaeOnnx.Tests.Runtime.AspNetCore.Ui;

public static class PageWeight
{
    /// <summary>What one measurement found.</summary>
    public sealed class Report
    {
        public int LoadRequests { get; set; }

        public long LoadBodyBytes { get; set; }

        public long LoadDecodedBytes { get; set; }

        public long FileBodyBytes { get; set; }

        public long FileDecodedBytes { get; set; }

        public int Frames { get; set; }

        public double Seconds { get; set; }

        public int Inputs { get; set; }

        public int Decodes { get; set; }

        public double BytesPerFrame { get; set; }

        /// <summary>One paragraph for the test log and BENCHMARKS.md.</summary>
        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"load: {LoadRequests} requests, {LoadBodyBytes} bytes as sent ({LoadDecodedBytes} uncompressed), of which the page's files {FileBodyBytes} ({FileDecodedBytes} uncompressed); " +
            $"live decoding: {Frames} frames in {Seconds:F2} s of scripted slider drag = {Frames / Seconds:F1} frames/s, {BytesPerFrame:F0} bytes per v1/decode answer ({Decodes} answers, {Inputs} input events)");
    }

    /// <summary>Measures a page that has just become ready.</summary>
    public static Task<Report> MeasureAsync(IPage page) => page.EvaluateAsync<Report>(@"async () => {
        const files = (e) => e.entryType === 'navigation' || new URL(e.name).pathname.includes('/ui/');
        const loaded = [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')];
        const sum = (list, f) => list.reduce((s, e) => s + f(e), 0);
        performance.setResourceTimingBufferSize(5000);
        const before = performance.getEntriesByType('resource').length;
        const input = document.getElementById('z3') ?? document.getElementById('z1'), canvas = document.getElementById('decoded');
        const start = Number(canvas.dataset.frames || 0), t0 = performance.now();
        let inputs = 0;
        await new Promise(resolve => {
            const timer = setInterval(() => {
                const t = (performance.now() - t0) / 1000;
                input.value = String(2.5 * Math.sin(t * 2 * Math.PI / 1.5));
                input.dispatchEvent(new Event('input', { bubbles: true }));
                inputs++;
                if (t >= 4) { clearInterval(timer); resolve(); }
            }, 4);
        });
        const seconds = (performance.now() - t0) / 1000;
        await new Promise(resolve => setTimeout(resolve, 500));
        const decodes = performance.getEntriesByType('resource').slice(before).filter(e => new URL(e.name).pathname.endsWith('/v1/decode'));
        return {
            loadRequests: loaded.length, loadBodyBytes: sum(loaded, e => e.encodedBodySize), loadDecodedBytes: sum(loaded, e => e.decodedBodySize),
            fileBodyBytes: sum(loaded.filter(files), e => e.encodedBodySize), fileDecodedBytes: sum(loaded.filter(files), e => e.decodedBodySize),
            frames: Number(canvas.dataset.frames || 0) - start, seconds, inputs, decodes: decodes.length,
            bytesPerFrame: decodes.length ? sum(decodes, e => e.encodedBodySize) / decodes.length : 0,
        };
    }");
}
