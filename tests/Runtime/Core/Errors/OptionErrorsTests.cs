// OptionErrors, the one wording of a parse error for both command lines: System.CommandLine's "as expected type
// 'System.Int32'" becomes what a user types (a whole number and its range, a number, true or false), quoted values are
// cut, and no .NET type name is left, on the runtime CLI and on the trainer's alike.
using VaeOnnx.Runtime.Core.Errors;
using VaeOnnx.Tests.Runtime.Host.Cli;
using VaeOnnx.Tests.Support;

namespace VaeOnnx.Tests.Runtime.Core.Errors;

public sealed class OptionErrorsTests
{
    [TestCase("Cannot parse argument 'abc' for option '--steps' as expected type 'System.Int32'.", "--steps 'abc' is not a whole number (-2147483648 to 2147483647).")]
    [TestCase("Cannot parse argument '-1' for option '--seed' as expected type 'System.UInt64'.", "--seed '-1' is not a whole number from 0 to 18446744073709551615.")]
    [TestCase("Cannot parse argument '1e3' for option '--max-body-bytes' as expected type 'System.Nullable`1[System.Int64]'.",
        "--max-body-bytes '1e3' is not a whole number (-9223372036854775808 to 9223372036854775807).")]
    [TestCase("Cannot parse argument 'warm' for option '--temperature' as expected type 'System.Single'.", "--temperature 'warm' is not a number (such as 0.5, 3 or 1e-3).")]
    [TestCase("Cannot parse argument 'yes!' for option '--flag' as expected type 'System.Boolean'.", "--flag 'yes!' is not true or false.")]
    [TestCase("Cannot parse argument 'x' for option '--thing' as expected type 'VaeOnnx.Some.Type'.", "--thing 'x' is not a value of the kind this option takes (see --help).")]
    [TestCase("Required argument missing for option: '--count'.", "Required argument missing for option: '--count'.")]
    [TestCase("Argument 'xml' not recognized. Must be one of: 'table' 'json' 'csv'", "Argument 'xml' not recognized. Must be one of: 'table' 'json' 'csv'")]
    [TestCase("Something about System.Int64 happened.", "Something about a whole number (-9223372036854775808 to 9223372036854775807) happened.")]
    public void Parser_messages_are_worded_without_type_names(string parser, string expected)
    {
        Assert.That(OptionErrors.Describe(parser), Is.EqualTo(expected));
    }

    [Test]
    public void A_long_value_is_cut_as_every_echo_is()
    {
        string value = new('7', 5000);

        string line = OptionErrors.Describe($"Cannot parse argument '{value}' for option '--count' as expected type 'System.Int32'.");

        Assert.That(line.Length, Is.LessThan(400));
        Assert.That(line, Does.Contain("(5,000 characters)"));
    }

    [TestCase("sample", "--count", "lots")]
    [TestCase("sample", "--seed", "-1")]
    [TestCase("sample", "--temperature", "warm")]
    [TestCase("serve", "--max-body-bytes", "1e3")]
    public void The_runtime_cli_names_no_type(string command, string option, string value)
    {
        var result = CliRunner.Run(command, "--model", "nowhere", option, value);

        result.AssertOneLineError($"{option} '{value}' is not a");
        Assert.That(result.Error, Does.Not.Contain("System."));
    }

    [TestCase("--epochs", "many")]
    [TestCase("--seed", "-1")]
    [TestCase("--lr", "fast")]
    public void The_trainer_cli_names_no_type(string option, string value)
    {
        var (code, _, error) = TrainerCommandLine.Run("train", option, value);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.StartWith($"error: {option} '{value}' is not a").And.Not.Contain("System."));
    }
}
