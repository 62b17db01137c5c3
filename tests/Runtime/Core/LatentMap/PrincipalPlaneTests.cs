// PrincipalPlane against an independent reference: the covariance matrix's eigenvectors by the cyclic Jacobi method
// (a different algorithm from the orthogonal iteration under test), on points with a known spread. Also: the axes are
// orthonormal, the sign rule holds, variances and the total are the covariance's, and degenerate inputs (all points
// equal, all on a line, two dimensions) still give a valid plane.
using VaeOnnx.Runtime.Core.LatentMap;

namespace VaeOnnx.Tests.Runtime.Core.LatentMap;

[TestFixture]
public sealed class PrincipalPlaneTests
{
    [TestCase(16, 1000, 1)]
    [TestCase(7, 50, 2)]
    [TestCase(2, 300, 3)]
    [TestCase(64, 400, 4)]
    public void MatchesTheCovarianceEigenvectors(int size, int count, int seed)
    {
        var random = new Random(seed);
        // A random rotation of axis-aligned Gaussian data with distinct spreads: the top two directions are well defined.
        var rotation = RandomRotation(size, random);
        var points = new float[count * size];
        for (int n = 0; n < count; n++)
        {
            var local = Enumerable.Range(0, size).Select(j => Normal(random) * (3.0 / (1 + j)) + (j == 0 ? 1.5 : 0)).ToArray();
            for (int i = 0; i < size; i++) points[n * size + i] = (float)Enumerable.Range(0, size).Sum(j => rotation[i, j] * local[j]);
        }

        var plane = PrincipalPlane.Of(points, count, size);
        var (values, vectors, mean, total) = Reference(points, count, size);
        double Cos(float[] a, int column) => Math.Abs(Enumerable.Range(0, size).Sum(i => a[i] * vectors[i, column]));
        TestContext.Out.WriteLine($"L = {size}, N = {count}: |cos| to the reference eigenvectors {Cos(plane.First, 0):F9}, {Cos(plane.Second, 1):F9}; " +
            $"variances {plane.FirstVariance:F6} / {values[0]:F6}, {plane.SecondVariance:F6} / {values[1]:F6}");
        Assert.Multiple(() =>
        {
            Assert.That(Cos(plane.First, 0), Is.EqualTo(1).Within(1e-6));
            Assert.That(Cos(plane.Second, 1), Is.EqualTo(1).Within(1e-6));
            Assert.That(plane.FirstVariance, Is.EqualTo(values[0]).Within(1e-6 * values[0]));
            Assert.That(plane.SecondVariance, Is.EqualTo(values[1]).Within(1e-6 * values[0]));
            Assert.That(plane.TotalVariance, Is.EqualTo(total).Within(1e-9 * total));
            for (int i = 0; i < size; i++) Assert.That(plane.Mean[i], Is.EqualTo(mean[i]).Within(1e-5));
            AssertOrthonormalWithSignRule(plane);
        });
    }

    [Test]
    public void TheSamePointsGiveTheSamePlane()
    {
        var random = new Random(5);
        var points = Enumerable.Range(0, 200 * 5).Select(_ => (float)Normal(random)).ToArray();
        var a = PrincipalPlane.Of(points, 200, 5);
        var b = PrincipalPlane.Of(points, 200, 5);
        Assert.That(a.First, Is.EqualTo(b.First));
        Assert.That(a.Second, Is.EqualTo(b.Second));
    }

    [Test]
    public void DegeneratePointsStillGiveAnOrthonormalPlane()
    {
        var equal = Enumerable.Repeat(new[] { 1f, 2f, 3f }, 10).SelectMany(p => p).ToArray();
        var flat = PrincipalPlane.Of(equal, 10, 3);
        Assert.That(flat.FirstVariance, Is.EqualTo(0).Within(1e-12));
        Assert.That(flat.Mean, Is.EqualTo(new[] { 1f, 2f, 3f }));
        AssertOrthonormalWithSignRule(flat);

        var line = Enumerable.Range(0, 20).SelectMany(i => new[] { i * 1f, i * 2f, 0f, 0f }).ToArray();
        var onLine = PrincipalPlane.Of(line, 20, 4);
        Assert.That(onLine.First[0], Is.EqualTo(1 / Math.Sqrt(5)).Within(1e-6));
        Assert.That(onLine.First[1], Is.EqualTo(2 / Math.Sqrt(5)).Within(1e-6));
        Assert.That(onLine.SecondVariance, Is.EqualTo(0).Within(1e-9));
        AssertOrthonormalWithSignRule(onLine);
    }

    [Test]
    public void RefusesWhatHasNoPlane()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PrincipalPlane.Of(new float[5], 5, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => PrincipalPlane.Of(new float[3], 1, 3));
        Assert.Throws<ArgumentException>(() => PrincipalPlane.Of(new float[7], 2, 3));
    }

    private static void AssertOrthonormalWithSignRule(PrincipalPlane plane)
    {
        double Dot(float[] a, float[] b) => a.Zip(b, (x, y) => (double)x * y).Sum();
        Assert.That(Dot(plane.First, plane.First), Is.EqualTo(1).Within(1e-6));
        Assert.That(Dot(plane.Second, plane.Second), Is.EqualTo(1).Within(1e-6));
        Assert.That(Dot(plane.First, plane.Second), Is.EqualTo(0).Within(1e-6));
        foreach (var axis in new[] { plane.First, plane.Second })
            Assert.That(axis.MaxBy(Math.Abs), Is.GreaterThan(0), "the largest component is positive");
    }

    // Eigen-decomposition of the sample covariance by cyclic Jacobi rotations; eigenvalues sorted descending.
    private static (double[] Values, double[,] Vectors, double[] Mean, double Total) Reference(float[] points, int count, int size)
    {
        var mean = new double[size];
        for (int n = 0; n < count; n++) for (int i = 0; i < size; i++) mean[i] += points[n * size + i] / (double)count;
        var a = new double[size, size];
        for (int n = 0; n < count; n++)
            for (int i = 0; i < size; i++)
                for (int j = 0; j < size; j++) a[i, j] += (points[n * size + i] - mean[i]) * (points[n * size + j] - mean[j]) / (count - 1);
        double total = Enumerable.Range(0, size).Sum(i => a[i, i]);
        var v = new double[size, size];
        for (int i = 0; i < size; i++) v[i, i] = 1;
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (int p = 0; p < size; p++) for (int q = p + 1; q < size; q++) off += a[p, q] * a[p, q];
            if (off < 1e-30) break;
            for (int p = 0; p < size; p++)
            {
                for (int q = p + 1; q < size; q++)
                {
                    if (Math.Abs(a[p, q]) < 1e-300) continue;
                    double theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
                    double t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < size; k++)
                    {
                        double akp = a[k, p], akq = a[k, q];
                        a[k, p] = c * akp - s * akq;
                        a[k, q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < size; k++)
                    {
                        double apk = a[p, k], aqk = a[q, k];
                        a[p, k] = c * apk - s * aqk;
                        a[q, k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < size; k++)
                    {
                        double vkp = v[k, p], vkq = v[k, q];
                        v[k, p] = c * vkp - s * vkq;
                        v[k, q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        int[] order = [.. Enumerable.Range(0, size).OrderByDescending(i => a[i, i])];
        var values = order.Select(i => a[i, i]).ToArray();
        var vectors = new double[size, size];
        for (int c = 0; c < size; c++) for (int k = 0; k < size; k++) vectors[k, c] = v[k, order[c]];
        return (values, vectors, mean, total);
    }

    private static double[,] RandomRotation(int size, Random random)
    {
        // Gram-Schmidt on a random Gaussian matrix.
        var q = new double[size, size];
        for (int c = 0; c < size; c++)
        {
            var column = Enumerable.Range(0, size).Select(_ => Normal(random)).ToArray();
            for (int prior = 0; prior < c; prior++)
            {
                double d = Enumerable.Range(0, size).Sum(k => column[k] * q[k, prior]);
                for (int k = 0; k < size; k++) column[k] -= d * q[k, prior];
            }
            double norm = Math.Sqrt(column.Sum(x => x * x));
            for (int k = 0; k < size; k++) q[k, c] = column[k] / norm;
        }
        return q;
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
