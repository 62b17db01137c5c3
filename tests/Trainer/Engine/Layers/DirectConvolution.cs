// Test reference: convolution and transposed convolution written straight from their definitions, in double precision,
// with no im2col and no GEMM, so the layers are checked against the formula rather than against their own method.
// Backward references are the adjoint sums of the same index sets. Slow on purpose; small shapes only.
namespace VaeOnnx.Tests.Trainer.Engine.Layers;

internal static class DirectConvolution
{
    internal readonly record struct Geometry(int Batch, int InChannels, int OutChannels, int Kernel, int Stride, int Padding);

    /// <summary>Visits every (x index, w index, y index) triple that a Conv2d multiplies, in (N, Cout, Ho, Wo) of y.</summary>
    private static void ForEachConvTerm(Geometry g, int h, int w, int ho, int wo, Action<int, int, int> visit)
    {
        for (int n = 0; n < g.Batch; n++)
        for (int co = 0; co < g.OutChannels; co++)
        for (int oh = 0; oh < ho; oh++)
        for (int ow = 0; ow < wo; ow++)
        for (int ci = 0; ci < g.InChannels; ci++)
        for (int ki = 0; ki < g.Kernel; ki++)
        for (int kj = 0; kj < g.Kernel; kj++)
        {
            int ih = oh * g.Stride - g.Padding + ki;
            int iw = ow * g.Stride - g.Padding + kj;
            if (ih < 0 || ih >= h || iw < 0 || iw >= w)
            {
                continue;
            }
            int xi = ((n * g.InChannels + ci) * h + ih) * w + iw;
            int wi = ((co * g.InChannels + ci) * g.Kernel + ki) * g.Kernel + kj;
            int yi = ((n * g.OutChannels + co) * ho + oh) * wo + ow;
            visit(xi, wi, yi);
        }
    }

    /// <summary>Visits every (x index, w index, y index) triple that a ConvTranspose2d multiplies, in (N, Cin, H, W) of x.</summary>
    private static void ForEachTransposedTerm(Geometry g, int h, int w, int ho, int wo, Action<int, int, int> visit)
    {
        for (int n = 0; n < g.Batch; n++)
        for (int ci = 0; ci < g.InChannels; ci++)
        for (int ih = 0; ih < h; ih++)
        for (int iw = 0; iw < w; iw++)
        for (int co = 0; co < g.OutChannels; co++)
        for (int ki = 0; ki < g.Kernel; ki++)
        for (int kj = 0; kj < g.Kernel; kj++)
        {
            int oh = ih * g.Stride - g.Padding + ki;
            int ow = iw * g.Stride - g.Padding + kj;
            if (oh < 0 || oh >= ho || ow < 0 || ow >= wo)
            {
                continue;
            }
            int xi = ((n * g.InChannels + ci) * h + ih) * w + iw;
            int wi = ((ci * g.OutChannels + co) * g.Kernel + ki) * g.Kernel + kj;
            int yi = ((n * g.OutChannels + co) * ho + oh) * wo + ow;
            visit(xi, wi, yi);
        }
    }

    /// <summary>
    /// Conv2d: returns y and, for upstream gradient dy, the gradients dx, dw, db.
    /// x (N, Cin, H, W), w (Cout, Cin, k, k), b (Cout), dy (N, Cout, Ho, Wo).
    /// </summary>
    public static (double[] Y, double[] DX, double[] DW, double[] DB) Convolve(
        Geometry g, float[] x, int h, int w, float[] weight, float[] bias, float[] dy, int ho, int wo) =>
        SumTerms(g, x, weight, bias, dy, ho, wo, visit => ForEachConvTerm(g, h, w, ho, wo, visit));

    /// <summary>
    /// ConvTranspose2d: every input pixel (n, ci, ih, iw) adds x * w[ci, co, ki, kj] to y[n, co, ih*s - p + ki, iw*s - p + kj].
    /// x (N, Cin, H, W), w (Cin, Cout, k, k), b (Cout), dy (N, Cout, Ho, Wo).
    /// </summary>
    public static (double[] Y, double[] DX, double[] DW, double[] DB) ConvolveTransposed(
        Geometry g, float[] x, int h, int w, float[] weight, float[] bias, float[] dy, int ho, int wo) =>
        SumTerms(g, x, weight, bias, dy, ho, wo, visit => ForEachTransposedTerm(g, h, w, ho, wo, visit));

    // y = bias + sum over the layer's (x, w, y) triples of x * w; dx, dw and db are the adjoint sums of the same triples.
    private static (double[] Y, double[] DX, double[] DW, double[] DB) SumTerms(
        Geometry g, float[] x, float[] weight, float[] bias, float[] dy, int ho, int wo, Action<Action<int, int, int>> forEachTerm)
    {
        var y = new double[g.Batch * g.OutChannels * ho * wo];
        var dx = new double[x.Length];
        var dw = new double[weight.Length];
        var db = new double[bias.Length];
        for (int i = 0; i < y.Length; i++)
        {
            int co = i / (ho * wo) % g.OutChannels;
            y[i] = bias[co];
            db[co] += dy[i];
        }
        forEachTerm((xi, wi, yi) =>
        {
            y[yi] += (double)x[xi] * weight[wi];
            dx[xi] += (double)dy[yi] * weight[wi];
            dw[wi] += (double)dy[yi] * x[xi];
        });
        return (y, dx, dw, db);
    }

    /// <summary>Largest |actual - expected| and the tolerance it is held to: relTol times the larger of 1 and max |expected|.</summary>
    public static (double MaxDiff, double Tolerance) Compare(ReadOnlySpan<float> actual, double[] expected, double relTol)
    {
        Assert.That(actual.Length, Is.EqualTo(expected.Length), "length");
        double maxDiff = 0, scale = 1;
        for (int i = 0; i < expected.Length; i++)
        {
            maxDiff = Math.Max(maxDiff, Math.Abs(actual[i] - expected[i]));
            scale = Math.Max(scale, Math.Abs(expected[i]));
        }
        return (maxDiff, relTol * scale);
    }
}
