// Plain-loop references for ONNX Conv and ConvTranspose (2-D, group 1), in double, written from the operator specs
// (https://onnx.ai/onnx/operators/onnx__Conv.html, onnx__ConvTranspose.html) to check what ONNX Runtime computes.
// Pads are [top, left, bottom, right]; deliberately nothing else (no groups, no auto_pad).
namespace VaeOnnx.Tests.Runtime.Core;

internal static class ConvolutionReference
{
    /// <summary>x (N, C, H, W), w (O, C, kH, kW), b (O) -> (N, O, outH, outW).</summary>
    public static (float[] Y, int OutH, int OutW) Conv(float[] x, int n, int c, int h, int w, float[] weight, float[] bias, int o,
        int kh, int kw, int[] strides, int[] pads, int[] dilations)
    {
        int outH = (h + pads[0] + pads[2] - ((kh - 1) * dilations[0] + 1)) / strides[0] + 1;
        int outW = (w + pads[1] + pads[3] - ((kw - 1) * dilations[1] + 1)) / strides[1] + 1;
        var y = new float[n * o * outH * outW];
        for (int b = 0; b < n; b++)
        for (int oc = 0; oc < o; oc++)
        for (int i = 0; i < outH; i++)
        for (int j = 0; j < outW; j++)
        {
            double sum = bias[oc];
            for (int ic = 0; ic < c; ic++)
            for (int p = 0; p < kh; p++)
            for (int q = 0; q < kw; q++)
            {
                int row = i * strides[0] - pads[0] + p * dilations[0];
                int col = j * strides[1] - pads[1] + q * dilations[1];
                if (row >= 0 && row < h && col >= 0 && col < w)
                {
                    sum += (double)x[((b * c + ic) * h + row) * w + col] * weight[((oc * c + ic) * kh + p) * kw + q];
                }
            }
            y[((b * o + oc) * outH + i) * outW + j] = (float)sum;
        }
        return (y, outH, outW);
    }

    /// <summary>x (N, C, H, W), w (C, O, kH, kW), b (O) -> (N, O, outH, outW), each input pixel scattered through the kernel.</summary>
    public static (float[] Y, int OutH, int OutW) ConvTranspose(float[] x, int n, int c, int h, int w, float[] weight, float[] bias, int o,
        int kh, int kw, int[] strides, int[] pads, int[] outputPadding)
    {
        int outH = strides[0] * (h - 1) + outputPadding[0] + kh - pads[0] - pads[2];
        int outW = strides[1] * (w - 1) + outputPadding[1] + kw - pads[1] - pads[3];
        var sums = new double[n * o * outH * outW];
        for (int b = 0; b < n; b++)
        for (int oc = 0; oc < o; oc++)
        for (int k = 0; k < outH * outW; k++)
        {
            sums[(b * o + oc) * outH * outW + k] = bias[oc];
        }
        for (int b = 0; b < n; b++)
        for (int ic = 0; ic < c; ic++)
        for (int i = 0; i < h; i++)
        for (int j = 0; j < w; j++)
        {
            double value = x[((b * c + ic) * h + i) * w + j];
            for (int oc = 0; oc < o; oc++)
            for (int p = 0; p < kh; p++)
            for (int q = 0; q < kw; q++)
            {
                int row = i * strides[0] - pads[0] + p;
                int col = j * strides[1] - pads[1] + q;
                if (row >= 0 && row < outH && col >= 0 && col < outW)
                {
                    sums[((b * o + oc) * outH + row) * outW + col] += value * weight[((ic * o + oc) * kh + p) * kw + q];
                }
            }
        }
        return (sums.Select(v => (float)v).ToArray(), outH, outW);
    }

    public static double MaxAbsDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.That(a.Length, Is.EqualTo(b.Length), "lengths differ");
        double max = 0;
        for (int i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs((double)a[i] - b[i]));
        }
        return max;
    }
}
