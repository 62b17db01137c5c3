// Test helper: runs onnx.checker.check_model(model, full_check=True) (structure plus strict shape inference) from
// Debian's /usr/bin/python3 over a batch of .onnx files in one Python start. It fails, never skips, when python3-onnx
// is missing: scripts/setup.sh installs it. It checks files only; it does not run the models.
using System.Diagnostics;

namespace VaeOnnx.Tests.Support;

public static class OnnxChecker
{
    /// <summary>The interpreter with the onnx package (not the pyenv python3 that may be first on PATH).</summary>
    public const string Python = "/usr/bin/python3";

    private const string Script = """
        import sys
        try:
            import onnx
        except Exception as e:
            print("NO-ONNX\t%s" % e)
            sys.exit(3)
        for path in sys.argv[1:]:
            try:
                onnx.checker.check_model(onnx.load(path), full_check=True)
                print("OK\t%s" % path)
            except Exception as e:
                print("FAIL\t%s\t%s" % (path, " | ".join(str(e).splitlines())))
        """;

    /// <summary>Fails the test unless every model passes onnx.checker with full_check; the message carries the checker's.</summary>
    public static void AssertValid(params string[] paths)
    {
        IReadOnlyList<string> failures = Check(paths);
        if (failures.Count > 0)
            Assert.Fail($"onnx.checker rejected {failures.Count} of {paths.Length} model(s):\n{string.Join("\n", failures)}");
        TestContext.Out.WriteLine($"onnx.checker (full_check) accepted {paths.Length} model(s).");
    }

    /// <summary>Runs the checker; returns one "path: message" line per rejected model (empty when all pass).</summary>
    public static IReadOnlyList<string> Check(params string[] paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Length == 0)
            throw new ArgumentException("Give at least one model path to check.", nameof(paths));
        foreach (string path in paths)
            if (!File.Exists(path))
                throw new FileNotFoundException($"OnnxChecker: no model file at '{path}'.", path);
        if (!File.Exists(Python))
            Assert.Fail($"{Python} not found; onnx.checker needs Debian's python3 with python3-onnx: run scripts/setup.sh.");

        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);
        foreach (string path in paths)
            start.ArgumentList.Add(Path.GetFullPath(path));

        using var process = Process.Start(start)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("onnx.checker did not finish within 2 minutes.");
        }
        string[] lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (process.ExitCode == 3 || lines.Any(l => l.StartsWith("NO-ONNX", StringComparison.Ordinal)))
            Assert.Fail($"python3-onnx is not installed for {Python} ({stdout.Trim()}): run scripts/setup.sh.");
        if (process.ExitCode != 0)
            Assert.Fail($"{Python} exited with code {process.ExitCode} while checking models:\n{stdout}\n{stderr.Result}");

        var failures = new List<string>();
        int accepted = 0;
        foreach (string line in lines)
        {
            string[] parts = line.Split('\t');
            if (parts[0] == "OK")
                accepted++;
            else if (parts[0] == "FAIL")
                failures.Add($"{parts[1]}: {string.Join(' ', parts.Skip(2))}");
        }
        if (accepted + failures.Count != paths.Length)
            Assert.Fail($"onnx.checker reported on {accepted + failures.Count} of {paths.Length} models:\n{stdout}\n{stderr.Result}");
        return failures;
    }
}
