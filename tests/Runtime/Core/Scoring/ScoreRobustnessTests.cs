// VaeScorer.Score on the inputs that break naive formulas, and its promises about noise:
//   - all-zero and all-one images on models with saturated logits and extreme log-variances give finite scores, for
//     Bernoulli with logits, Bernoulli from clamped probabilities, and Gaussian;
//   - on moderate models, scoring from probabilities agrees with scoring from logits;
//   - an image's score depends only on the seed and its pixels: not on its batch, its position or how the samples are
//     chunked and spread over threads; another seed gives another draw;
//   - bad arguments and models that cannot be scored get clear errors.
using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.Scoring;
using VaeOnnx.Tests.Support;

namespace VaeOnnx.Tests.Runtime.Core.Scoring;

[TestFixture]
public sealed class ScoreRobustnessTests
{
    private TemporaryFolder _folder = null!;

    [OneTimeSetUp]
    public void CreateFolder() => _folder = new TemporaryFolder("vaeonnx-scoring-robust");

    [OneTimeTearDown]
    public void DeleteFolder() => _folder.Dispose();

    private static IEnumerable<TestCaseData> ExtremeModels()
    {
        yield return new TestCaseData("bernoulli-logits", false, true).SetName("Extreme inputs give finite scores (Bernoulli from logits)");
        yield return new TestCaseData("bernoulli-probabilities", false, false).SetName("Extreme inputs give finite scores (Bernoulli from clamped probabilities)");
        yield return new TestCaseData("gaussian", true, false).SetName("Extreme inputs give finite scores (Gaussian)");
    }

    [TestCaseSource(nameof(ExtremeModels))]
    public void Extreme_inputs_give_finite_scores(string name, bool gaussian, bool withLogits)
    {
        // Weights of scale 8 over 64 pixels: logits reach hundreds (float sigmoid saturates to exactly 0 and 1) and the
        // encoder's log-variance reaches about +-100 for all-one images, beyond the [-30, 20] clamp.
        var vae = LinearVae.Random(latentSize: 3, channels: 1, height: 8, width: 8, seed: 13, scale: 8, gaussian: gaussian, withLogits: withLogits,
            sigma: gaussian ? 0.05 : null);
        using var model = VaeModel.Load(vae.Write(_folder.File(name)));
        var zeros = new float[64];
        var ones = Enumerable.Repeat(1f, 64).ToArray();
        var encoded = model.Encode([.. zeros, .. ones], 2);
        TestContext.Out.WriteLine($"{name}: logvar of the all-one image {string.Join(", ", encoded.LogVar.Skip(3).Select(v => v.ToString("F1")))}");

        foreach (int k in new[] { 1, 64 })
        {
            var scores = model.Score([.. zeros, .. ones], 2, samples: k, seed: 5);
            foreach (var (score, label) in scores.Zip(["all-zero", "all-one"]))
            {
                TestContext.Out.WriteLine($"  k={k} {label}: nll {score.NegativeLogLikelihood:G6}, recon {score.Reconstruction:G6}, kl {score.Kl:G6}, sampled kl {score.SampledKl:G6}");
                Assert.That(new[] { score.NegativeLogLikelihood, score.Reconstruction, score.Kl, score.SampledKl, score.NegativeElbo }.All(double.IsFinite), Is.True,
                    $"{name} {label} k={k}: {score}");
                Assert.That(score.Kl, Is.GreaterThanOrEqualTo(0));
            }
        }
        Assert.That(PixelLikelihood.For(model).Note is null, Is.EqualTo(gaussian || withLogits), "only the probabilities path carries a note");
    }

    [Test]
    public void Clamped_probabilities_agree_with_logits_on_a_moderate_model()
    {
        const double tolerance = 1e-3;
        var withLogits = LinearVae.Random(latentSize: 2, channels: 1, height: 4, width: 4, seed: 3, scale: 0.8);
        var without = LinearVae.Random(latentSize: 2, channels: 1, height: 4, width: 4, seed: 3, scale: 0.8, withLogits: false);
        using var a = VaeModel.Load(withLogits.Write(_folder.File("moderate-logits")));
        using var b = VaeModel.Load(without.Write(_folder.File("moderate-probabilities")));
        var random = new Random(4);
        var images = Enumerable.Range(0, 3 * 16).Select(_ => (float)random.NextDouble()).ToArray();

        var fromLogits = a.Score(images, 3, samples: 50, seed: 1);
        var fromProbabilities = b.Score(images, 3, samples: 50, seed: 1);

        double worst = fromLogits.Zip(fromProbabilities).Max(p => Math.Abs(p.First.NegativeLogLikelihood - p.Second.NegativeLogLikelihood));
        TestContext.Out.WriteLine($"largest |logits - probabilities| {worst:E2} nats (tolerance {tolerance})");
        Assert.That(worst, Is.LessThanOrEqualTo(tolerance));
    }

    [Test]
    public void A_score_depends_only_on_the_seed_and_the_pixels()
    {
        // 8 x 8 pixels and k = 5000: chunks of 4096 rows cross image boundaries and the row terms run in parallel.
        var vae = LinearVae.Random(latentSize: 3, channels: 1, height: 8, width: 8, seed: 21, scale: 0.5);
        using var model = VaeModel.Load(vae.Write(_folder.File("determinism")));
        var random = new Random(2);
        var a = Enumerable.Range(0, 64).Select(_ => (float)random.NextDouble()).ToArray();
        var b = Enumerable.Range(0, 64).Select(_ => (float)random.NextDouble()).ToArray();

        var pair = model.Score([.. a, .. b], 2, samples: 5000, seed: 17);
        var alone = model.Score(b, 1, samples: 5000, seed: 17);
        var swapped = model.Score([.. b, .. a], 2, samples: 5000, seed: 17);
        var again = model.Score([.. a, .. b], 2, samples: 5000, seed: 17);
        var otherSeed = model.Score(b, 1, samples: 5000, seed: 18);

        Assert.That(alone[0], Is.EqualTo(pair[1]), "image b alone vs second in a batch");
        Assert.That(swapped[0], Is.EqualTo(pair[1]), "image b first vs second");
        Assert.That(swapped[1], Is.EqualTo(pair[0]), "image a second vs first");
        Assert.That(again, Is.EqualTo(pair), "same call, same bits");
        Assert.That(otherSeed[0].NegativeLogLikelihood, Is.Not.EqualTo(alone[0].NegativeLogLikelihood), "another seed draws other latents");
        Assert.That(otherSeed[0].Kl, Is.EqualTo(alone[0].Kl), "the analytic KL does not depend on the seed");
    }

    [Test]
    public void Bad_arguments_and_unscorable_models_get_clear_errors()
    {
        var vae = LinearVae.Random(latentSize: 2, channels: 1, height: 2, width: 2, seed: 1);
        using var model = VaeModel.Load(vae.Write(_folder.File("errors")));
        var image = new float[] { 0, 0.5f, 1, 0.25f };

        var noSamples = Assert.Throws<ArgumentOutOfRangeException>(() => model.Score(image, 1, samples: 0))!;
        var tooMany = Assert.Throws<ArgumentOutOfRangeException>(() => model.Score(image, 1, samples: ScoreSamples.Max + 1))!;
        var wrongLength = Assert.Throws<ArgumentException>(() => model.Score(image, 2))!;
        var outOfRange = Assert.Throws<ArgumentException>(() => model.Score([0, 0.5f, 1.5f, 0], 1))!;
        var nan = Assert.Throws<ArgumentException>(() => model.Score([0, float.NaN, 1, 0], 1))!;
        TestContext.Out.WriteLine(string.Join("\n", new Exception[] { noSamples, tooMany, wrongLength, outOfRange, nan }.Select(e => e.Message)));
        Assert.That(noSamples.Message, Does.Contain("samples is 0"));
        Assert.That(outOfRange.Message, Does.Contain("1.5").And.Contain("[0, 1]"));
        Assert.That(nan.Message, Does.Contain("NaN"));

        var gaussianWithoutSigma = LinearVae.Random(latentSize: 2, channels: 1, height: 2, width: 2, seed: 1, gaussian: true, sigma: null);
        using var unscorable = VaeModel.Load(gaussianWithoutSigma.Write(_folder.File("no-sigma")));
        var missingSigma = Assert.Throws<InvalidModelException>(() => unscorable.Score(image, 1))!;
        TestContext.Out.WriteLine(missingSigma.Message);
        Assert.That(missingSigma.Message, Does.Contain("vaeonnx.gaussian_sigma"));
    }
}
