// LatentMath: seeded normal draws (RandomSource's, determinism and moments) and latent paths against closed forms: a straight line,
// and for orthogonal equal-norm ends the great circle cos(tπ/2)·a + sin(tπ/2)·b.
using VaeOnnx.Runtime.Core;

namespace VaeOnnx.Tests.Runtime.Core;

public sealed class LatentMathTests
{
    [Test]
    public void Normal_draws_are_determined_by_the_seed_and_have_unit_moments()
    {
        var a = new float[100_001];
        var b = new float[100_001];
        var c = new float[100_001];
        LatentMath.FillNormal(a, 12345);
        LatentMath.FillNormal(b, 12345);
        LatentMath.FillNormal(c, 12346);

        double mean = a.Average(v => (double)v);
        double variance = a.Average(v => ((double)v - mean) * ((double)v - mean));
        TestContext.Out.WriteLine($"mean {mean:F4} (tolerance 0.02), variance {variance:F4} (tolerance 0.02)");
        Assert.That(a, Is.EqualTo(b));
        Assert.That(a, Is.Not.EqualTo(c));
        Assert.That(Math.Abs(mean), Is.LessThan(0.02), "about 6 standard errors");
        Assert.That(Math.Abs(variance - 1), Is.LessThan(0.02));
        Assert.That(a, Is.All.Matches<float>(float.IsFinite));
    }

    [Test]
    public void Normal_draws_are_the_scaled_normals_of_the_one_seeded_generator()
    {
        var drawn = new float[7];
        LatentMath.FillNormal(drawn, 77, scale: 0.5f);

        var expected = new float[7];
        new RandomSource(77).FillGaussian(expected);
        Assert.That(drawn, Is.EqualTo(expected.Select(v => v * 0.5f)));
    }

    [Test]
    public void Seeds_differing_only_in_high_bits_give_different_draws()
    {
        var low = new float[8];
        var high = new float[8];
        LatentMath.FillNormal(low, 1);
        LatentMath.FillNormal(high, 1 + (1UL << 40));

        Assert.That(low, Is.Not.EqualTo(high));
    }

    [Test]
    public void Linear_path_is_the_straight_line()
    {
        float[] from = [0, 2, -4], to = [4, -2, 4];
        var path = new float[5 * 3];

        LatentMath.Interpolate(from, to, 5, InterpolationKind.Linear, path);

        Assert.That(path, Is.EqualTo(new float[] { 0, 2, -4, 1, 1, -2, 2, 0, 0, 3, -1, 2, 4, -2, 4 }));
    }

    [Test]
    public void Spherical_path_between_orthogonal_ends_is_the_great_circle()
    {
        float[] from = [3, 0, 0], to = [0, 0, 3];
        const int steps = 9;
        var path = new float[steps * 3];

        LatentMath.Interpolate(from, to, steps, InterpolationKind.Spherical, path);

        double worst = 0;
        for (int s = 0; s < steps; s++)
        {
            double t = (double)s / (steps - 1);
            double[] expected = [3 * Math.Cos(t * Math.PI / 2), 0, 3 * Math.Sin(t * Math.PI / 2)];
            for (int j = 0; j < 3; j++)
            {
                worst = Math.Max(worst, Math.Abs(path[s * 3 + j] - expected[j]));
            }
        }
        TestContext.Out.WriteLine($"max |slerp - great circle| = {worst:E2} (tolerance 1e-6)");
        Assert.That(worst, Is.LessThanOrEqualTo(1e-6));
    }

    [Test]
    public void Spherical_path_falls_back_to_linear_for_parallel_or_zero_ends()
    {
        float[] zero = [0, 0], end = [2, 2];
        var spherical = new float[3 * 2];
        var linear = new float[3 * 2];

        LatentMath.Interpolate(zero, end, 3, InterpolationKind.Spherical, spherical);
        LatentMath.Interpolate(zero, end, 3, InterpolationKind.Linear, linear);

        Assert.That(spherical, Is.EqualTo(linear));
        Assert.That(spherical, Is.All.Matches<float>(float.IsFinite));
    }
}
