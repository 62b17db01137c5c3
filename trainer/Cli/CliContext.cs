// What every trainer command gets besides its options: where to write, whether the output is a live terminal
// (Spectre.Console progress) or plain text (logs, CI, tests), and the stop signal to poll.
using Spectre.Console;
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Training;

namespace VaeOnnx.Trainer.Cli;

public sealed class CliContext
{
    public CliContext(TextWriter output, TextWriter error, IAnsiConsole? console, Func<StopSignal> stopSignalFactory, DatasetDownloader? downloader)
    {
        Output = output;
        Error = error;
        Console = console;
        StopSignalFactory = stopSignalFactory;
        Downloader = downloader;
    }

    public TextWriter Output { get; }

    public TextWriter Error { get; }

    /// <summary>Set when the output is an interactive terminal; null means plain lines.</summary>
    public IAnsiConsole? Console { get; }

    public Func<StopSignal> StopSignalFactory { get; }

    /// <summary>Fetches missing dataset files; null: report them missing without downloading.</summary>
    public DatasetDownloader? Downloader { get; }

    /// <summary>The process's console: live progress when stdout is a terminal, Ctrl+C/SIGTERM as stop requests.</summary>
    public static CliContext ForProcess()
    {
        bool interactive = !System.Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        return new CliContext(System.Console.Out, System.Console.Error, interactive ? AnsiConsole.Console : null, StopSignal.FromProcessSignals,
            DatasetDownloader.Default(System.Console.Out));
    }

    /// <summary>Captured writers, plain output, a stop signal the caller controls and no downloads unless given (tests).</summary>
    public static CliContext ForWriters(TextWriter output, TextWriter error, StopSignal? stop = null, DatasetDownloader? downloader = null) =>
        new(output, error, null, () => stop ?? StopSignal.Manual(), downloader);
}
