// TrainOptions: every word --likelihood accepts reaches the TrainingConfig as the likelihood it names (the wire words
// of the export contract, written out here), and the default is bernoulli. A word it does not accept is refused by
// the parser itself (TrainerCliTests.UserErrorsAreOneLineWithNoRunFolder: usage exit code, one line naming the words).
using System.CommandLine;
using VaeOnnx.Runtime.Core;
using VaeOnnx.Trainer.Cli;

namespace VaeOnnx.Tests.Trainer.Cli;

public sealed class TrainOptionsTests
{
    [TestCase(new string[0], Likelihood.Bernoulli)]
    [TestCase(new[] { "--likelihood", "bernoulli" }, Likelihood.Bernoulli)]
    [TestCase(new[] { "--likelihood", "gaussian" }, Likelihood.Gaussian)]
    public void LikelihoodWordsReachTheConfig(string[] args, Likelihood expected)
    {
        var options = new TrainOptions();
        var command = new RootCommand();
        options.AddTo(command);

        ParseResult result = command.Parse(args);

        Assert.That(result.Errors, Is.Empty);
        Assert.That(options.ToConfig(result).Likelihood, Is.EqualTo(expected));
    }

    [Test]
    public void EveryLikelihoodHasAWordTheOptionAccepts()
    {
        var options = new TrainOptions();
        var command = new RootCommand();
        options.AddTo(command);
        foreach (Likelihood likelihood in Enum.GetValues<Likelihood>())
        {
            ParseResult result = command.Parse(["--likelihood", likelihood.ToString().ToLowerInvariant()]);
            Assert.That(result.Errors, Is.Empty, likelihood.ToString());
            Assert.That(options.ToConfig(result).Likelihood, Is.EqualTo(likelihood));
        }
    }
}
