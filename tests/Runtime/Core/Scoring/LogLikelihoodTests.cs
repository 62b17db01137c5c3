// The scoring formulas one at a time, against naive textbook forms where those are accurate, and at the extremes where
// they are not: log-sigmoid from logits, clamped probabilities, the Gaussian density, the KL, the streaming
// log-mean-exp, and the noise generator's distribution and addressing.
using VaeOnnx.Runtime.Core.Scoring;

namespace VaeOnnx.Tests.Runtime.Core.Scoring;

[TestFixture]
public sealed class LogLikelihoodTests
{
    [Test]
    public void Bernoulli_from_logits_matches_the_naive_form_and_stays_finite_at_extremes()
    {
        const double tolerance = 1e-10;
        var random = new Random(1);
        var x = Enumerable.Range(0, 203).Select(_ => (float)random.NextDouble()).ToArray();
        var logits = Enumerable.Range(0, 203).Select(_ => (float)((random.NextDouble() * 2 - 1) * 15)).ToArray();

        double naive = 0;
        for (int d = 0; d < x.Length; d++)
        {
            double p = 1 / (1 + Math.Exp(-logits[d]));
            naive += x[d] * Math.Log(p) + (1.0 - x[d]) * Math.Log(1 - p);
        }
        double stable = LogLikelihood.BernoulliFromLogits(x, logits);
        TestContext.Out.WriteLine($"naive {naive:R}, stable {stable:R}, |diff| {Math.Abs(naive - stable):E2} (relative tolerance {tolerance})");
        Assert.That(Math.Abs(naive - stable), Is.LessThanOrEqualTo(tolerance * Math.Abs(naive)));

        // logit 1000 with x = 0 costs 1000 nats (the naive form gives -inf); +-infinity is read as +-float.MaxValue.
        Assert.That(LogLikelihood.BernoulliFromLogits([0f], [1000f]), Is.EqualTo(-1000).Within(1e-9));
        Assert.That(LogLikelihood.BernoulliFromLogits([1f], [1000f]), Is.EqualTo(0).Within(1e-300));
        Assert.That(double.IsFinite(LogLikelihood.BernoulliFromLogits([0f, 1f], [float.PositiveInfinity, float.NegativeInfinity])), Is.True);
        Assert.Throws<ArgumentException>(() => LogLikelihood.BernoulliFromLogits([0f], [float.NaN]));
    }

    [Test]
    public void Bernoulli_from_logits_is_the_same_for_every_length_and_tail()
    {
        // Lengths 0 to 40 cover every vector width up to 512 bits and every tail, with a non-finite logit in some blocks.
        var random = new Random(2);
        double worst = 0;
        for (int length = 0; length <= 40; length++)
        {
            var x = Enumerable.Range(0, length).Select(_ => random.NextDouble() < 0.5 ? 0f : (float)random.NextDouble()).ToArray();
            var logits = Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() * 2 - 1) * 40)).ToArray();
            if (length % 3 == 1)
            {
                logits[length / 2] = length % 2 == 0 ? float.PositiveInfinity : float.NegativeInfinity;
            }
            double reference = 0;
            for (int d = 0; d < length; d++)
            {
                double l = float.IsInfinity(logits[d]) ? Math.CopySign(float.MaxValue, logits[d]) : logits[d];
                // log sigmoid(l) = -log1p(exp(-l)) for l >= 0, l - log1p(exp(l)) otherwise.
                double logP = l >= 0 ? -double.LogP1(Math.Exp(-l)) : l - double.LogP1(Math.Exp(l));
                double logOneMinusP = l >= 0 ? -l - double.LogP1(Math.Exp(-l)) : -double.LogP1(Math.Exp(l));
                reference += x[d] * logP + (1.0 - x[d]) * logOneMinusP;
            }
            double actual = LogLikelihood.BernoulliFromLogits(x, logits);
            double difference = Math.Abs(actual - reference) / Math.Max(1, Math.Abs(reference));
            worst = Math.Max(worst, difference);
            Assert.That(difference, Is.LessThanOrEqualTo(1e-12), $"length {length}: {actual:R} vs {reference:R}");
        }
        TestContext.Out.WriteLine($"lengths 0-40: largest relative difference {worst:E2} (tolerance 1e-12)");
    }

    [Test]
    public void Bernoulli_from_probabilities_clamps_zero_and_one()
    {
        double floor = Math.Log(LogLikelihood.ProbabilityFloor);
        Assert.That(LogLikelihood.BernoulliFromProbabilities([1f], [0f]), Is.EqualTo(floor).Within(1e-12));
        Assert.That(LogLikelihood.BernoulliFromProbabilities([0f], [1f]), Is.EqualTo(floor).Within(1e-9));
        Assert.That(LogLikelihood.BernoulliFromProbabilities([1f, 0f], [0.25f, 0.25f]), Is.EqualTo(Math.Log(0.25) + Math.Log(0.75)).Within(1e-12));
    }

    [Test]
    public void Gaussian_matches_the_density_formula()
    {
        float[] x = [0.1f, 0.7f, -0.3f];
        float[] mean = [0.2f, 0.5f, 0.0f];
        const double sigma = 0.3;
        double naive = x.Zip(mean).Sum(p => Math.Log(Math.Exp(-0.5 * Math.Pow((p.First - p.Second) / sigma, 2)) / (sigma * Math.Sqrt(2 * Math.PI))));
        Assert.That(LogLikelihood.Gaussian(x, mean, sigma), Is.EqualTo(naive).Within(1e-12));
        Assert.Throws<ArgumentOutOfRangeException>(() => LogLikelihood.Gaussian(x, mean, 0));
    }

    [Test]
    public void Kl_and_posterior_density_match_their_definitions()
    {
        float[] mu = [0.5f, -1.2f];
        double[] logVar = [-0.7, 0.4];
        float[] eps = [0.3f, -1.1f];
        double naiveKl = 0, naiveLogQ = 0;
        for (int l = 0; l < 2; l++)
        {
            double variance = Math.Exp(logVar[l]);
            naiveKl += 0.5 * (mu[l] * mu[l] + variance - 1 - logVar[l]);
            double z = mu[l] + Math.Sqrt(variance) * eps[l];
            naiveLogQ += Math.Log(Math.Exp(-0.5 * Math.Pow(z - mu[l], 2) / variance) / Math.Sqrt(2 * Math.PI * variance));
        }
        Assert.That(LogLikelihood.GaussianKl(mu, logVar), Is.EqualTo(naiveKl).Within(1e-6));
        Assert.That(LogLikelihood.DiagonalNormalAtNoise(eps, logVar), Is.EqualTo(naiveLogQ).Within(1e-6));
        Assert.That(LogLikelihood.StandardNormal([0f, 0f]), Is.EqualTo(-Math.Log(2 * Math.PI)).Within(1e-12));
        Assert.That(LogLikelihood.ClampLogVar(-1000), Is.EqualTo(LogLikelihood.MinLogVar));
        Assert.That(LogLikelihood.ClampLogVar(1000), Is.EqualTo(LogLikelihood.MaxLogVar));
    }

    [Test]
    public void Log_mean_exp_matches_the_direct_form_and_survives_huge_and_tiny_values()
    {
        var random = new Random(3);
        var values = Enumerable.Range(0, 1000).Select(_ => random.NextDouble() * 20 - 10).ToArray();
        double direct = Math.Log(values.Average(Math.Exp));
        Assert.That(LogMeanExp.Of(values), Is.EqualTo(direct).Within(1e-12));

        // exp(-2000) underflows and exp(800) overflows in double; the streaming form does not care.
        Assert.That(LogMeanExp.Of([-2000, -2000 + Math.Log(3)]), Is.EqualTo(-2000 + Math.Log(2)).Within(1e-9));
        Assert.That(LogMeanExp.Of([800, 800]), Is.EqualTo(800).Within(1e-12));
        Assert.That(LogMeanExp.Of([double.NegativeInfinity, Math.Log(4)]), Is.EqualTo(Math.Log(2)).Within(1e-12));
        Assert.That(LogMeanExp.Of([double.NegativeInfinity]), Is.EqualTo(double.NegativeInfinity));
        Assert.Throws<ArgumentOutOfRangeException>(() => LogMeanExp.Of([double.NaN]));
    }

    [Test]
    public void Noise_is_standard_normal_and_addressed_by_sample_not_by_chunk()
    {
        ulong key = ScoreNoise.KeyFor(5, [0.5f, 0.25f]);
        var whole = new float[3 * 100_000];
        ScoreNoise.Fill(key, 0, 3, whole);
        double mean = whole.Average(v => (double)v);
        double variance = whole.Sum(v => ((double)v - mean) * ((double)v - mean)) / (whole.Length - 1);
        double fourth = whole.Average(v => Math.Pow(v, 4));
        TestContext.Out.WriteLine($"{whole.Length} draws: mean {mean:F4}, variance {variance:F4}, E[eps^4] {fourth:F3} (3 for a normal)");
        Assert.That(Math.Abs(mean), Is.LessThan(0.01)); // 5 standard errors
        Assert.That(Math.Abs(variance - 1), Is.LessThan(0.013));
        Assert.That(Math.Abs(fourth - 3), Is.LessThan(0.1));

        // Samples 7..11 filled on their own (an odd start splits a Box-Muller pair) equal the same slice of the whole.
        var part = new float[3 * 5];
        ScoreNoise.Fill(key, 7, 3, part);
        Assert.That(part, Is.EqualTo(whole.AsSpan(21, 15).ToArray()));
        Assert.That(CounterNormal.Value(key, 3 * 7 + 1), Is.EqualTo(whole[22]));
        Assert.That(ScoreNoise.KeyFor(5, [0.5f, 0.25f]), Is.Not.EqualTo(ScoreNoise.KeyFor(5, [0.5f, 0.75f])));
        Assert.That(ScoreNoise.KeyFor(5, [0.5f, 0.25f]), Is.Not.EqualTo(ScoreNoise.KeyFor(6, [0.5f, 0.25f])));
    }
}
