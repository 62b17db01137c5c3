// Im2Col against its defining formula, and Col2Im as its exact adjoint (<Col2Im(Y), X> = <Y, Im2Col(X)>), over
// geometries with padding wider than the kernel, strides that leave input rows unread, and columns side by side.
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Kernels;

namespace VaeOnnx.Tests.Trainer.Engine.Kernels;

[NonParallelizable] // switches the process-wide vector row kernels off and on
public class Im2ColTests
{
    // (channels, height, width, k, stride, padding)
    [TestCase(1, 1, 1, 1, 1, 0)]
    [TestCase(2, 5, 7, 3, 1, 1)]
    [TestCase(3, 14, 14, 4, 2, 1)]
    [TestCase(2, 9, 4, 2, 3, 0)]  // stride leaves the last rows and columns unread
    [TestCase(1, 2, 3, 3, 2, 4)]  // padding wider than the kernel: whole rows of zeros
    [TestCase(2, 6, 5, 5, 1, 2)]
    [TestCase(1, 20, 40, 3, 1, 1)] // rows wider than one vector
    [TestCase(2, 9, 41, 4, 2, 1)]
    public void ExpandMatchesFormulaAndFoldIsItsAdjoint(int channels, int height, int width, int k, int stride, int padding)
    {
        foreach (bool vectorRows in new[] { true, false })
        {
            bool saved = StridedRows.Enabled;
            StridedRows.Enabled = vectorRows;
            try
            {
                CheckExpandAndFold(channels, height, width, k, stride, padding);
            }
            finally
            {
                StridedRows.Enabled = saved;
            }
        }
    }

    private static void CheckExpandAndFold(int channels, int height, int width, int k, int stride, int padding)
    {
        int outHeight = (height + 2 * padding - k) / stride + 1, outWidth = (width + 2 * padding - k) / stride + 1;
        int pixels = outHeight * outWidth, rows = channels * k * k;
        const int images = 2;
        int columnStride = images * pixels + 3; // side by side, plus slack that must stay untouched
        var random = new RandomSource((ulong)(channels * 100 + height * 10 + width));
        var image = new float[images * channels * height * width];
        random.FillUniform(image, -1f, 1f);
        var columns = new float[rows * columnStride];
        columns.AsSpan().Fill(float.NaN);
        for (int n = 0; n < images; n++)
        {
            Im2Col.Expand(image.AsSpan(n * channels * height * width, channels * height * width), channels, height, width,
                k, stride, padding, outHeight, outWidth, columns.AsSpan(n * pixels), columnStride);
        }
        for (int n = 0; n < images; n++)
        for (int c = 0; c < channels; c++)
        for (int ki = 0; ki < k; ki++)
        for (int kj = 0; kj < k; kj++)
        for (int oh = 0; oh < outHeight; oh++)
        for (int ow = 0; ow < outWidth; ow++)
        {
            int ih = oh * stride - padding + ki, iw = ow * stride - padding + kj;
            float expected = ih < 0 || ih >= height || iw < 0 || iw >= width ? 0f
                : image[((n * channels + c) * height + ih) * width + iw];
            int row = (c * k + ki) * k + kj;
            Assert.That(columns[row * columnStride + n * pixels + oh * outWidth + ow], Is.EqualTo(expected),
                $"image {n}, row {row}, pixel ({oh}, {ow})");
        }
        for (int row = 0; row < rows; row++)
        {
            Assert.That(float.IsNaN(columns[row * columnStride + images * pixels]), Is.True, "slack past the last image was written");
        }

        // Adjoint: fold random columns Y, compare <fold(Y), X> with <Y, Im2Col(X)> in double precision.
        var y = new float[columns.Length];
        random.FillUniform(y, -1f, 1f);
        var folded = new float[image.Length];
        random.FillUniform(folded, -1f, 1f);
        var before = (float[])folded.Clone();
        double lhs = 0, rhs = 0;
        for (int n = 0; n < images; n++)
        {
            Col2Im.Accumulate(y.AsSpan(n * pixels), columnStride, channels, height, width, k, stride, padding,
                outHeight, outWidth, folded.AsSpan(n * channels * height * width, channels * height * width));
        }
        for (int i = 0; i < image.Length; i++)
        {
            lhs += (double)(folded[i] - before[i]) * image[i];
        }
        for (int row = 0; row < rows; row++)
        {
            for (int q = 0; q < images * pixels; q++)
            {
                rhs += (double)y[row * columnStride + q] * columns[row * columnStride + q];
            }
        }
        double tolerance = 1e-5 * Math.Max(1, Math.Abs(rhs));
        TestContext.Out.WriteLine($"<fold(Y), X> - <Y, unfold(X)> = {Math.Abs(lhs - rhs):E2} (tolerance {tolerance:E2})");
        Assert.That(Math.Abs(lhs - rhs) <= tolerance, Is.True, $"adjoint mismatch {lhs} vs {rhs}");
    }
}
