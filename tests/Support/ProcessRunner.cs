// Test helper: runs a program as a child process with its output (stdout then stderr) captured, and fails the test
// when it does not finish within the time given. DotnetCommand runs `dotnet` through it.
using System.Diagnostics;

namespace VaeOnnx.Tests.Support;

internal static class ProcessRunner
{
    public static (int ExitCode, string Output) Run(string fileName, string workingDirectory, TimeSpan timeout, params string[] args) =>
        Run(fileName, workingDirectory, timeout, new Dictionary<string, string?>(), args);

    /// <summary>Runs <paramref name="fileName"/>; <paramref name="environment"/> sets variables (null removes one).</summary>
    public static (int ExitCode, string Output) Run(string fileName, string workingDirectory, TimeSpan timeout,
        IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var (exitCode, output, error) = RunSeparately(fileName, workingDirectory, timeout, environment, args);
        return (exitCode, output + error);
    }

    /// <summary>As <see cref="Run(string, string, TimeSpan, IReadOnlyDictionary{string, string?}, string[])"/>, with stdout and stderr apart.</summary>
    public static (int ExitCode, string Output, string Error) RunSeparately(string fileName, string workingDirectory, TimeSpan timeout,
        IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{fileName} {string.Join(' ', args)} did not finish within {timeout.TotalSeconds:0} s.");
        }
        return (process.ExitCode, output.Result, error.Result);
    }
}
