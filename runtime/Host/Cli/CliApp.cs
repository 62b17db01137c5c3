// The runtime's command line: builds the root command from a list of CliCommand classes and runs it with the
// writers it is given (the console, or captured writers in tests). Parse errors become one "error: ..." line on
// stderr with exit code 2, worded by OptionErrors; command failures are handled by CliCommand (exit code 1).
// To add a command: write a CliCommand subclass in its own file and append it to DefaultCommands.
using System.CommandLine;

using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.Errors;

namespace VaeOnnx.Runtime.Host.Cli;

public sealed class CliApp
{
    public const int UsageError = 2;

    private readonly IReadOnlyList<CliCommand> _commands;

    public CliApp(IEnumerable<CliCommand> commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        _commands = commands.ToArray();
        var duplicate = _commands.GroupBy(c => c.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate != null)
        {
            throw new ArgumentException($"Two commands are named '{duplicate.Key}'; give each command its own name.", nameof(commands));
        }
    }

    /// <summary>The commands of `VaeOnnx.Runtime`, in the order --help lists them.</summary>
    public static IReadOnlyList<CliCommand> DefaultCommands() =>
    [
        new InfoCommand(),
        new SampleCommand(),
        new ReconstructCommand(),
        new InterpolateCommand(),
        new EncodeCommand(),
        new DecodeCommand(),
        new ScoreCommand(),
        new CalibrateCommand(),
        new BenchCommand(),
        new ServeCommand(),
        new HealthCommand(),
    ];

    public static CliApp CreateDefault() => new(DefaultCommands());

    public IReadOnlyList<CliCommand> Commands => _commands;

    public RootCommand BuildRootCommand()
    {
        var root = new RootCommand("VaeOnnx runtime: sample, reconstruct, interpolate, encode and score with a trained VAE (encoder.onnx + decoder.onnx) on ONNX Runtime.");
        foreach (var command in _commands)
        {
            root.Add(command.Create());
        }
        return root;
    }

    /// <summary>Runs the command line; returns the process exit code.</summary>
    public int Run(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        output ??= Console.Out;
        error ??= Console.Error;
        var parseResult = BuildRootCommand().Parse(args);
        if (parseResult.Errors.Count > 0 && !HelpRequested(args))
        {
            var command = parseResult.CommandResult.Command;
            var hint = command is RootCommand ? "--help" : $"{command.Name} --help";
            error.WriteLine($"error: {OptionErrors.Describe(parseResult.Errors[0].Message)} (see '{hint}')");
            return UsageError;
        }
        return parseResult.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }

    private static bool HelpRequested(string[] args) => args.Any(a => a is "--help" or "-h" or "-?" or "/?" or "/h");
}
