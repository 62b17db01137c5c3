// Every numeric option of every runtime command, fed zero, -1, the int and ulong extremes, huge and non-finite floats,
// "1e400", a fraction, text and the empty string: each run either succeeds (exit 0, and no "internal error") or fails
// with exactly one "error: ..." line that names the option and no .NET type (or, for serve, the VaeServing setting it sets; or is the
// same line the base run gives without it), exit
// 1 (refused) or 2 (did not parse), and no output file left behind. Never exit 70. The options are enumerated from the
// host's root command (CliApp.BuildRootCommand), so a new option is covered without editing this file; BaseArguments
// gives each command a small, fast valid run around the value under test. serve runs on an empty model folder: its
// values are checked before the service starts, and a run that passes them stops at once because the model fails to
// load (the base run's own line), so no test leaves a server running.
using VaeOnnx.Runtime.Core.Imaging;
using VaeOnnx.Runtime.Host.Cli;
using VaeOnnx.Tests.Support;

namespace VaeOnnx.Tests.Runtime.Host.Cli;

[TestFixture]
public sealed class NumericOptionTests : ToyModelFixture
{
    /// <summary>Options that take numbers written as text (parsed by the command itself).</summary>
    private static readonly string[] NumericTextOptions = ["--batches"];

    private string _emptyModel = null!;
    private string _image = null!;
    private string _z = null!;

    [OneTimeSetUp]
    public void WriteFixtures()
    {
        _emptyModel = Folder.File("empty-model");
        Directory.CreateDirectory(_emptyModel);
        _image = Folder.File("digit.png");
        ImageFile.WritePng(new PixelImage(5, 6, 1, Enumerable.Range(0, 30).Select(i => (byte)(i * 8)).ToArray()), _image);
        _z = Folder.File("z.csv");
        File.WriteAllText(_z, "0.1,0.2,-0.3,0.4\n1,0,0,-1\n");
    }

    public static IEnumerable<TestCaseData> NumericOptions()
    {
        foreach (var command in CliApp.CreateDefault().BuildRootCommand().Subcommands)
        {
            foreach (var option in command.Options)
            {
                if (ExtremeValues.IsNumeric(option.ValueType) || NumericTextOptions.Contains(option.Name))
                {
                    yield return new TestCaseData(command.Name, option.Name).SetName($"{command.Name} {option.Name}");
                }
            }
        }
    }

    [TestCaseSource(nameof(NumericOptions))]
    public void Extreme_values_give_one_line_or_a_meaningful_run(string commandName, string option)
    {
        // calibrate's output is the model's calibration.json.
        string output = commandName == "calibrate" ? Path.Combine(Model, "calibration.json") : Folder.File($"{commandName}-out");
        string[] command = [commandName, .. BaseArguments(commandName, output).Without(option)];
        var baseline = new Lazy<string>(() =>
        {
            var result = CliRunner.Run(command);
            Delete(output);
            return result.ErrorLines.FirstOrDefault() ?? "";
        });
        var failures = new List<string>();
        foreach (string value in ExtremeValues.Texts)
        {
            var result = CliRunner.Run([.. command, option, value]);
            string[] lines = result.ErrorLines;
            string first = lines.FirstOrDefault() ?? "";
            bool namesTheOption = first.Contains(option, StringComparison.Ordinal) || first.Contains(SettingName(option), StringComparison.Ordinal);
            string verdict = result.ExitCode switch
            {
                CliCommand.Success => result.Error.Contains("internal error", StringComparison.Ordinal) ? "internal error printed" : "",
                CliCommand.UserError or CliApp.UsageError when lines.Length != 1 || !first.StartsWith("error: ", StringComparison.Ordinal) => "not one error line",
                CliCommand.UserError or CliApp.UsageError when !namesTheOption && first != baseline.Value => "the error does not name the option",
                CliCommand.UserError or CliApp.UsageError when first.Contains("System.", StringComparison.Ordinal) => "the error names a .NET type",
                CliCommand.UserError or CliApp.UsageError when File.Exists(output) => "an output file was left behind",
                CliCommand.UserError or CliApp.UsageError => "",
                _ => $"exit code {result.ExitCode}",
            };
            TestContext.Out.WriteLine($"{option} \"{value}\" -> {result.ExitCode}: {first}");
            if (verdict.Length > 0)
            {
                failures.Add($"{option} \"{value}\": {verdict} (exit {result.ExitCode}: {result.Error.Trim()})");
            }
            Delete(output);
        }
        Assert.That(failures, Is.Empty);
    }

    // A small valid run for each command; the option under test is removed from it and given last.
    private string[] BaseArguments(string command, string output) => command switch
    {
        "info" => ["--model", Model],
        "sample" => ["--model", Model, "--count", "2", "--seed", "1", "--out", output],
        "reconstruct" => ["--model", Model, "--in", _image, "--out", output],
        "interpolate" => ["--model", Model, "--from", _image, "--to", _image, "--steps", "3", "--out", output],
        "encode" => ["--model", Model, "--in", _image, "--out", output],
        "decode" => ["--model", Model, "--z", _z, "--out", output],
        "score" => ["--model", Model, "--in", _image, "--samples", "2", "--out", output],
        "calibrate" => ["--model", Model, "--in", _image, _image, "--samples", "2"],
        "bench" => ["--model", Model, "--batches", "1", "--rounds", "1", "--round-seconds", "0.01"],
        "serve" => ["--model", _emptyModel, "--urls", "http://127.0.0.1:0"],
        _ => throw new AssertionException($"No base arguments for '{command}': add the new command to BaseArguments."),
    };

    // serve's flags set VaeServing settings, and its validation names the setting: --max-count is MaxCount (a prefix of
    // MaxConcurrentInference for --max-concurrent).
    private static string SettingName(string option) =>
        string.Concat(option.TrimStart('-').Split('-').Select(part => char.ToUpperInvariant(part[0]) + part[1..]));

    private static void Delete(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }
}
