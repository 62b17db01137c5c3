// Every numeric option of every trainer command, fed zero, -1, the int and ulong extremes, huge and non-finite floats,
// "1e400", text and the empty string: each run either succeeds (exit 0, or 130 when the run starts training, since the
// stop signal is already set so that valid values stop after the checks instead of training) or fails with exactly
// one "error: ..." line that names the option, exit 1 (refused) or 2 (did not parse), and no run folder. Never exit
// 70. The options are enumerated from the command definitions (TrainerCli.BuildRoot), so a new option is covered
// without editing this file; BaseArguments gives each command a small, fast valid run around the value under test.
using System.CommandLine;
using VaeOnnx.Tests.Support;
using VaeOnnx.Trainer.Cli;
using VaeOnnx.Trainer.Engine.Kernels;
using VaeOnnx.Trainer.Training;

namespace VaeOnnx.Tests.Trainer.Cli;

public sealed class NumericOptionTests
{
    /// <summary>Options that take numbers written as text (parsed by the command itself).</summary>
    private static readonly string[] NumericTextOptions = ["--image-size"];

    private TemporaryFolder _folder = null!;
    private string _trainedRun = null!;

    [OneTimeSetUp]
    public void TrainATinyRun()
    {
        _folder = new TemporaryFolder();
        _trainedRun = _folder.File("trained");
        var result = Run(["--dataset", "shapes", "--image-size", "8", "--train-limit", "16", "--test-limit", "8", "--batch", "4", "--epochs", "1", "--out", _trainedRun], stop: false);
        Assert.That(result.Code, Is.EqualTo(ExitCodes.Success), result.Error);
    }

    [OneTimeTearDown]
    public void RemoveTheRun() => _folder.Dispose();

    public static IEnumerable<TestCaseData> NumericOptions()
    {
        RootCommand root = TrainerCli.BuildRoot(CliContext.ForWriters(TextWriter.Null, TextWriter.Null));
        foreach ((string path, Command command) in Commands(root, ""))
        {
            if (path.Length == 0)
            {
                continue; // the root's options are train's (same definitions, TrainCommand.Configure)
            }
            foreach (Option option in command.Options)
            {
                if (ExtremeValues.IsNumeric(option.ValueType) || NumericTextOptions.Contains(option.Name))
                {
                    yield return new TestCaseData(path, option.Name).SetName($"{path} {option.Name}");
                }
            }
        }
    }

    [TestCaseSource(nameof(NumericOptions))]
    public void ExtremeValuesGiveOneLineOrAMeaningfulRun(string commandPath, string option)
    {
        int threadsBefore = EngineThreads.Count;
        using var scratch = new TemporaryFolder();
        string run = scratch.File("run");
        string[] command = [.. commandPath.Split(' '), .. BaseArguments(commandPath, run, scratch.Path).Without(option)];
        // An error the base run gives anyway (e.g. bench without MNIST) is not the value's fault. Run only when needed:
        // some base runs are long (bench kernels).
        var baseline = new Lazy<string>(() =>
        {
            string error = Run(command, stop: true).Error.Trim();
            DeleteRun(run);
            return error;
        });
        var failures = new List<string>();
        foreach (string value in ExtremeValues.Texts)
        {
            var result = Run([.. command, option, value], stop: true);
            EngineThreads.Count = threadsBefore;
            string[] lines = result.Error.TrimEnd().Split('\n');
            bool NamesTheOption() => lines[0].Contains(option, StringComparison.Ordinal) || lines[0].Contains(Unquoted(option), StringComparison.Ordinal);
            bool sameAsBase = !NamesTheOption() && lines[0] == baseline.Value;
            string verdict = result.Code switch
            {
                ExitCodes.Success or ExitCodes.Interrupted => result.Error.Contains("internal error", StringComparison.Ordinal) ? "internal error printed" : "",
                ExitCodes.UserError or ExitCodes.UsageError when lines.Length != 1 || !lines[0].StartsWith("error: ", StringComparison.Ordinal) => "not one error line",
                ExitCodes.UserError or ExitCodes.UsageError when !NamesTheOption() && !sameAsBase => "the error does not name the option",
                ExitCodes.UserError or ExitCodes.UsageError when Directory.Exists(run) => "a run folder was left behind",
                ExitCodes.UserError or ExitCodes.UsageError => "",
                _ => $"exit code {result.Code}",
            };
            TestContext.Out.WriteLine($"{option} \"{value}\" -> {result.Code}: {lines[0]}");
            if (verdict.Length > 0)
            {
                failures.Add($"{option} \"{value}\": {verdict} (exit {result.Code}: {result.Error.Trim()})");
            }
            DeleteRun(run);
        }
        Assert.That(failures, Is.Empty);
    }

    // A small valid run for each command; the option under test is removed from it and given last.
    private string[] BaseArguments(string commandPath, string run, string scratch) => commandPath switch
    {
        "train" => ["--dataset", "shapes", "--image-size", "8", "--train-limit", "16", "--test-limit", "4", "--batch", "4", "--epochs", "1", "--out", run],
        "evaluate" => ["--model", _trainedRun, "--iw-samples", "2", "--test-limit", "4"],
        "anomaly-demo" => ["--dataset", "shapes", "--digits", "0-1", "--train-limit", "16", "--test-limit", "8", "--epochs", "1", "--synthetic", "4", "--out", run],
        "bench epoch" => ["--data", scratch, "--train-limit", "16", "--batch", "4"],
        "bench kernels" => [],
        "check-device" => ["--device", "cpu", "--arch", "mlp", "--batch", "2"],
        _ => throw new AssertionException($"No base arguments for '{commandPath}': add the new command to BaseArguments."),
    };

    private static void DeleteRun(string run)
    {
        if (Directory.Exists(run))
        {
            Directory.Delete(run, recursive: true);
        }
    }

    private static string Unquoted(string option) => option.TrimStart('-');

    private static IEnumerable<(string Path, Command Command)> Commands(Command command, string path)
    {
        yield return (path, command);
        foreach (Command sub in command.Subcommands)
        {
            foreach (var nested in Commands(sub, path.Length == 0 ? sub.Name : $"{path} {sub.Name}"))
            {
                yield return nested;
            }
        }
    }

    private static (int Code, string Output, string Error) Run(string[] args, bool stop)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        StopSignal signal = StopSignal.Manual();
        if (stop)
        {
            signal.Request();
        }
        int code = TrainerCli.Run(args, CliContext.ForWriters(output, error, signal));
        return (code, output.ToString(), error.ToString());
    }
}
