// Test helper: runs the `dotnet` CLI (build, publish) on a project of the checkout as a child process, with its own
// artifacts folder (VAEONNX_ARTIFACTS) so it never touches the obj/ and bin/ folders of the build running the tests.
// Fails the test with the tool's output when it does not succeed within the time given (ProcessRunner).
namespace VaeOnnx.Tests.Support;

internal static class DotnetCommand
{
    public static (int ExitCode, string Output) Run(string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var withDefaults = new Dictionary<string, string?>
        {
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
        };
        foreach (var (key, value) in environment)
        {
            withDefaults[key] = value;
        }
        return ProcessRunner.Run("dotnet", workingDirectory, timeout, withDefaults, args);
    }

    /// <summary>Runs and asserts success, returning the output.</summary>
    public static string Succeed(string artifacts, TimeSpan timeout, params string[] args)
    {
        var (code, output) = Run(RepositoryPaths.Root, timeout, new Dictionary<string, string?> { ["VAEONNX_ARTIFACTS"] = artifacts }, args);
        Assert.That(code, Is.Zero, $"dotnet {string.Join(' ', args)} failed:\n{output}");
        return output;
    }
}
