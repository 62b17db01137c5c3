// Test helper: runs the runtime CLI in-process through CliApp with captured stdout and stderr, or as a child
// `dotnet vaeonnx-runtime.dll` process when the test needs a fresh process (native library loading).
using System.Diagnostics;
using VaeOnnx.Runtime.Host.Cli;
using VaeOnnx.Tests.Support;

namespace VaeOnnx.Tests.Runtime.Host.Cli;

internal sealed record CliResult(int ExitCode, string Output, string Error)
{
    public string[] ErrorLines => Error.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Asserts a failure reported the CLI way: non-zero exit, exactly one "error: ..." line on stderr.</summary>
    public void AssertOneLineError(params string[] fragments)
    {
        TestContext.Out.WriteLine($"exit {ExitCode}; stderr: {Error.TrimEnd()}");
        Assert.That(ExitCode, Is.Not.Zero, "exit code");
        Assert.That(ErrorLines, Has.Length.EqualTo(1), $"stderr should be one line:\n{Error}");
        Assert.That(ErrorLines[0], Does.StartWith("error: "));
        foreach (var fragment in fragments)
        {
            Assert.That(ErrorLines[0], Does.Contain(fragment));
        }
    }
}

internal static class CliRunner
{
    public static CliResult Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exitCode = CliApp.CreateDefault().Run(args, output, error);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>Runs `dotnet vaeonnx-runtime.dll args` from <paramref name="folder"/> (default: the test output) with extra environment.</summary>
    public static CliResult RunProcess(IReadOnlyDictionary<string, string?> environment, string? folder, params string[] args) =>
        Run(Path.Combine(folder ?? AppContext.BaseDirectory, "vaeonnx-runtime.dll"), null, environment, args);

    /// <summary>Runs the test output's `dotnet vaeonnx-runtime.dll args` with <paramref name="workingDirectory"/> as its working directory.</summary>
    public static CliResult RunProcessIn(string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        Run(Path.Combine(AppContext.BaseDirectory, "vaeonnx-runtime.dll"), workingDirectory, environment, args);

    private static CliResult Run(string dll, string? workingDirectory, IReadOnlyDictionary<string, string?> environment, string[] args)
    {
        var (exitCode, output, error) = ProcessRunner.RunSeparately("dotnet", workingDirectory ?? Environment.CurrentDirectory, TimeSpan.FromSeconds(60), environment, [dll, .. args]);
        return new CliResult(exitCode, output, error);
    }
}
