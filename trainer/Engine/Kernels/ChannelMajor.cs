// Moves a run of images between the batch layout (N, C, P) and the channel-major layout (C, count * P) that one GEMM
// over several images reads and writes (P = pixels per image). Plain copies of P-long runs; the scatter can add a
// per-channel bias on the way. It does not check shapes (the layers validate at their boundary).
using System.Numerics.Tensors;

namespace VaeOnnx.Trainer.Engine.Kernels;

public static class ChannelMajor
{
    /// <summary>destination[c, i * pixels + q] = batch[i, c, q] for images i in [0, count) of <paramref name="batch"/>.</summary>
    public static void Gather(ReadOnlySpan<float> batch, int channels, int pixels, int count, Span<float> destination)
    {
        int stride = count * pixels;
        for (int i = 0; i < count; i++)
        {
            for (int c = 0; c < channels; c++)
            {
                batch.Slice((i * channels + c) * pixels, pixels).CopyTo(destination.Slice(c * stride + i * pixels, pixels));
            }
        }
    }

    /// <summary>batch[i, c, q] = source[c, i * pixels + q] (+ bias[c] when a bias is given).</summary>
    public static void Scatter(ReadOnlySpan<float> source, int channels, int pixels, int count, ReadOnlySpan<float> bias,
        Span<float> batch)
    {
        int stride = count * pixels;
        for (int i = 0; i < count; i++)
        {
            for (int c = 0; c < channels; c++)
            {
                ReadOnlySpan<float> from = source.Slice(c * stride + i * pixels, pixels);
                Span<float> to = batch.Slice((i * channels + c) * pixels, pixels);
                if (bias.IsEmpty)
                {
                    from.CopyTo(to);
                }
                else
                {
                    TensorPrimitives.Add(from, bias[c], to);
                }
            }
        }
    }
}
