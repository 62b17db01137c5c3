// Test helper: launches Debian's chromium (/usr/bin/chromium, installed by scripts/setup.sh) through Playwright. The
// browser is never downloaded: Playwright only drives the executable given here, and a missing one fails the test
// with what to run instead of skipping it. It starts no server and records nothing (PageRecorder does that).
using Microsoft.Playwright;

namespace VaeOnnx.Tests.Runtime.AspNetCore.Ui;

public static class DebianChromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>Headless, no sandbox (CI runs as root), and none of the browser's own background traffic.</summary>
    public static IReadOnlyList<string> Arguments { get; } =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run",
    ];

    /// <summary>Starts Playwright's driver and the Debian browser; fails the test when the browser is not installed.</summary>
    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
            Assert.Fail($"{ExecutablePath} is missing; run scripts/setup.sh (it installs Debian's chromium package) before the browser tests.");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Args = [.. Arguments],
                Headless = true,
                Timeout = 60_000,
            });
            return (playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }
}
