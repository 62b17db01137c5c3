// Runs the trainer's command line in-process with captured output (plain text, no downloads), logging the command
// and what it printed to the test's output.
using VaeOnnx.Trainer.Cli;

namespace VaeOnnx.Tests.Support;

public static class TrainerCommandLine
{
    public static (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = TrainerCli.Run(args, CliContext.ForWriters(output, error));
        TestContext.Out.WriteLine($"$ trainer {string.Join(' ', args)} -> {code}\n{output}{error}");
        return (code, output.ToString(), error.ToString());
    }
}
