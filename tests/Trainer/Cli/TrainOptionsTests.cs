// TrainOptions: every word --likelihood accepts reaches the TrainingConfig as the likelihood it names (the wire words
// of the export contract, written out here), and the default is bernoulli. A word it does not accept is refused by
// the parser itself (TrainerCliTests.UserErrorsAreOneLineWithNoRunFolder: usage exit code, one line naming the words).
// The options restate no default: with none given they make TrainingConfig.Defaults, per architecture.
using System.CommandLine;
using VaeOnnx.Runtime.Core;
using VaeOnnx.Trainer.Cli;
using VaeOnnx.Trainer.Models;
using VaeOnnx.Trainer.Training;

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

    [TestCase(new string[0], VaeKind.Conv, 16)]
    [TestCase(new[] { "--arch", "mlp" }, VaeKind.Mlp, 2)]
    public void With_no_option_given_the_config_is_TrainingConfigs_defaults(string[] args, VaeKind kind, int latent)
    {
        var options = new TrainOptions();
        var command = new RootCommand();
        options.AddTo(command);

        TrainingConfig config = options.ToConfig(command.Parse(args));

        Assert.That(config, Is.EqualTo(TrainingConfig.Defaults with { Architecture = kind, Data = config.Data }));
        Assert.That(config.Data, Is.EqualTo(TrainingConfig.Defaults.Data));
        Assert.That(config.Resolved().LatentSize, Is.EqualTo(latent));
        Assert.That(TrainingConfig.DefaultLatentSize(kind), Is.EqualTo(latent));
    }
}
