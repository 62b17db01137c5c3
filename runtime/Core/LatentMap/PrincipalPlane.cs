// The plane of the two principal components of a set of latent points (PCA): the points' mean and the two orthonormal
// directions of largest variance, with the variance along each and in total. A latent map of a model with more than two
// latent dimensions can be drawn in it: a point p sits at ((p - Mean)·First, (p - Mean)·Second).
// Computed by orthogonal iteration on the centred points (never forming the L × L covariance, so any latent size
// works), in double precision, from a fixed start: the same points always give the same plane, signs included.
// It does not project points (whoever draws the map does) and knows nothing of files (LatentPoints reads them).
namespace VaeOnnx.Runtime.Core.LatentMap;

/// <summary>The mean and the first two principal directions of a set of latent points.</summary>
public sealed record PrincipalPlane
{
    /// <summary>Iterations after which the iteration stops even if the subspace still turns (a near-tie of λ2 and λ3).</summary>
    public const int MaxIterations = 1000;

    /// <summary>The mean of the points (L values).</summary>
    public required float[] Mean { get; init; }

    /// <summary>The first principal direction: unit length, its largest-magnitude component positive (L values).</summary>
    public required float[] First { get; init; }

    /// <summary>The second principal direction: unit length, orthogonal to <see cref="First"/>, sign as for First (L values).</summary>
    public required float[] Second { get; init; }

    /// <summary>The points' variance along <see cref="First"/> (n - 1 in the denominator).</summary>
    public required double FirstVariance { get; init; }

    /// <summary>The points' variance along <see cref="Second"/>.</summary>
    public required double SecondVariance { get; init; }

    /// <summary>The sum of the variances of all L dimensions (the share a component explains is its variance over this).</summary>
    public required double TotalVariance { get; init; }

    /// <summary>
    /// The principal plane of <paramref name="count"/> points of length <paramref name="size"/> (row-major in
    /// <paramref name="points"/>). Needs at least two points and <paramref name="size"/> ≥ 2. When the data has fewer than
    /// two directions of variance, the missing directions are completed with unit axes orthogonal to the ones found.
    /// </summary>
    public static PrincipalPlane Of(ReadOnlySpan<float> points, int count, int size)
    {
        if (size < 2) throw new ArgumentOutOfRangeException(nameof(size), size, "A plane needs points of at least 2 dimensions.");
        if (count < 2) throw new ArgumentOutOfRangeException(nameof(count), count, "Principal components need at least 2 points.");
        if (points.Length != (long)count * size)
            throw new ArgumentException($"The points hold {points.Length} values; {count} points of size {size} need {(long)count * size}.", nameof(points));

        // Centred copy, (count, size), in double.
        var mean = new double[size];
        for (int n = 0; n < count; n++)
        {
            for (int j = 0; j < size; j++) mean[j] += points[n * size + j];
        }
        for (int j = 0; j < size; j++) mean[j] /= count;
        var x = new double[count * size];
        double total = 0;
        for (int n = 0; n < count; n++)
        {
            for (int j = 0; j < size; j++)
            {
                double d = points[n * size + j] - mean[j];
                x[n * size + j] = d;
                total += d * d;
            }
        }
        total /= count - 1;

        // Orthogonal iteration: Q <- orth(Xᵀ X Q), from the two axes of largest variance (a deterministic start that is
        // never orthogonal to the whole top subspace unless the data has no variance there at all).
        var (a, b) = TwoLargestVarianceAxes(x, count, size);
        var q1 = Axis(size, a);
        var q2 = Axis(size, b);
        var scores = new double[count];
        for (int iteration = 0; iteration < MaxIterations; iteration++)
        {
            var z1 = Covariance(x, count, size, q1, scores);
            var z2 = Covariance(x, count, size, q2, scores);
            if (!Orthonormalize(z1, z2, size)) break; // no variance left in the subspace: keep the last basis
            double turn = 1 - Math.Abs(Dot(z1, q1) * Dot(z2, q2) - Dot(z1, q2) * Dot(z2, q1)); // 1 - |det(QᵀZ)|
            (q1, q2) = (z1, z2);
            if (turn < 1e-13) break;
        }

        // Rayleigh-Ritz in the plane: the 2 × 2 covariance of the projections, diagonalised, gives the ordered axes.
        double s11 = Variance(x, count, size, q1, q1), s22 = Variance(x, count, size, q2, q2), s12 = Variance(x, count, size, q1, q2);
        double angle = 0.5 * Math.Atan2(2 * s12, s11 - s22);
        double c = Math.Cos(angle), s = Math.Sin(angle);
        var first = new double[size];
        var second = new double[size];
        for (int j = 0; j < size; j++)
        {
            first[j] = c * q1[j] + s * q2[j];
            second[j] = -s * q1[j] + c * q2[j];
        }
        double v1 = Variance(x, count, size, first, first), v2 = Variance(x, count, size, second, second);
        if (v2 > v1) (first, second, v1, v2) = (second, first, v2, v1);
        FixSign(first);
        FixSign(second);
        return new PrincipalPlane
        {
            Mean = ToFloat(mean),
            First = ToFloat(first),
            Second = ToFloat(second),
            FirstVariance = v1,
            SecondVariance = v2,
            TotalVariance = total,
        };
    }

    private static (int A, int B) TwoLargestVarianceAxes(double[] x, int count, int size)
    {
        var variance = new double[size];
        for (int n = 0; n < count; n++)
        {
            for (int j = 0; j < size; j++) variance[j] += x[n * size + j] * x[n * size + j];
        }
        int a = 0;
        for (int j = 1; j < size; j++) if (variance[j] > variance[a]) a = j;
        int b = a == 0 ? 1 : 0;
        for (int j = 0; j < size; j++) if (j != a && variance[j] > variance[b]) b = j;
        return (a, b);
    }

    private static double[] Axis(int size, int index)
    {
        var axis = new double[size];
        axis[index] = 1;
        return axis;
    }

    // Xᵀ (X q): the covariance times q, up to the factor 1 / (count - 1).
    private static double[] Covariance(double[] x, int count, int size, double[] q, double[] scores)
    {
        for (int n = 0; n < count; n++)
        {
            double sum = 0;
            for (int j = 0; j < size; j++) sum += x[n * size + j] * q[j];
            scores[n] = sum;
        }
        var result = new double[size];
        for (int n = 0; n < count; n++)
        {
            double score = scores[n];
            for (int j = 0; j < size; j++) result[j] += x[n * size + j] * score;
        }
        return result;
    }

    // uᵀ C v with C the covariance (n - 1 in the denominator).
    private static double Variance(double[] x, int count, int size, double[] u, double[] v)
    {
        double total = 0;
        for (int n = 0; n < count; n++)
        {
            double pu = 0, pv = 0;
            for (int j = 0; j < size; j++)
            {
                pu += x[n * size + j] * u[j];
                pv += x[n * size + j] * v[j];
            }
            total += pu * pv;
        }
        return total / (count - 1);
    }

    // Gram-Schmidt on (z1, z2); a vanishing z2 is replaced by the unit axis least represented in z1. False when z1 vanishes.
    private static bool Orthonormalize(double[] z1, double[] z2, int size)
    {
        double n1 = Math.Sqrt(Dot(z1, z1));
        if (!(n1 > 1e-300)) return false;
        for (int j = 0; j < size; j++) z1[j] /= n1;
        double d = Dot(z1, z2);
        for (int j = 0; j < size; j++) z2[j] -= d * z1[j];
        double n2 = Math.Sqrt(Dot(z2, z2));
        if (!(n2 > 1e-12 * n1))
        {
            int least = 0;
            for (int j = 1; j < size; j++) if (Math.Abs(z1[j]) < Math.Abs(z1[least])) least = j;
            Array.Clear(z2);
            z2[least] = 1;
            d = Dot(z1, z2);
            for (int j = 0; j < size; j++) z2[j] -= d * z1[j];
            n2 = Math.Sqrt(Dot(z2, z2));
        }
        for (int j = 0; j < size; j++) z2[j] /= n2;
        return true;
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int j = 0; j < a.Length; j++) sum += a[j] * b[j];
        return sum;
    }

    private static void FixSign(double[] v)
    {
        int largest = 0;
        for (int j = 1; j < v.Length; j++) if (Math.Abs(v[j]) > Math.Abs(v[largest])) largest = j;
        if (v[largest] < 0)
        {
            for (int j = 0; j < v.Length; j++) v[j] = -v[j];
        }
    }

    private static float[] ToFloat(double[] values) => Array.ConvertAll(values, v => (float)v);
}
