// Test helper: axe-core (npm, pinned in axe/package.json and installed by scripts/setup.sh with `npm ci`) run inside
// the page as it is at that moment, in Debian's chromium, with its default rules plus the experimental ones and WCAG 2.2
// AA's target-size (the issue's audit found label-content-name-mismatch, an experimental rule). The script is evaluated through Playwright (the page's
// Content-Security-Policy stays on: nothing is added to the page's markup). Every violation fails the test with its
// rule, impact, help text and the elements at fault; each run is logged with the number of rules that passed.
using System.Text.Json;
using Microsoft.Playwright;
using VaeOnnx.Tests.Support;

namespace VaeOnnx.Tests.Runtime.AspNetCore.Ui;

public static class AxeChecker
{
    /// <summary>Where scripts/setup.sh installs axe-core.</summary>
    public static string ScriptPath => Path.Combine(RepositoryPaths.Root, "tests", "Runtime", "AspNetCore", "Ui", "axe", "node_modules", "axe-core", "axe.min.js");

    private static readonly Lazy<string> Script = new(() =>
    {
        if (!File.Exists(ScriptPath))
            Assert.Fail($"{ScriptPath} is missing; run scripts/setup.sh (it runs npm ci in tests/Runtime/AspNetCore/Ui/axe).");
        return File.ReadAllText(ScriptPath);
    });

    /// <summary>Runs axe on the whole page (WCAG 2.0-2.2 A and AA, best practices, the experimental rules) and fails on any violation.</summary>
    public static async Task AssertNoViolationsAsync(IPage page, string state)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
            await page.EvaluateAsync(Script.Value);
        var result = await page.EvaluateAsync<JsonElement>(@"async () => {
            // The default rules plus the experimental ones (label-content-name-mismatch is one) and WCAG 2.2 AA's
            // target-size, which axe-core leaves off by default; not the AAA rules (enhanced 7:1 contrast).
            const rules = Object.fromEntries(axe.getRules(['experimental', 'wcag22aa']).map(r => [r.ruleId, { enabled: true }]));
            const r = await axe.run(document, { resultTypes: ['violations'], rules });
            return {
              passes: r.passes.length,
              version: axe.version,
              violations: r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ') + ': ' + (n.failureSummary || '').replace(/\s+/g, ' ')) })),
            };
        }");
        var violations = result.GetProperty("violations").EnumerateArray().ToList();
        string report = string.Join("\n", violations.Select(v =>
            $"  {v.GetProperty("impact").GetString()} {v.GetProperty("id").GetString()}: {v.GetProperty("help").GetString()}\n" +
            string.Join("\n", v.GetProperty("nodes").EnumerateArray().Take(5).Select(n => "    " + n.GetString()))));
        TestContext.Out.WriteLine($"axe-core {result.GetProperty("version").GetString()} on '{state}': {violations.Count} violations, {result.GetProperty("passes").GetInt32()} rules passed");
        Assert.That(violations, Is.Empty, $"axe-core violations on '{state}':\n{report}");
    }
}
