// Where the GPU GEMM writes C and what it does on the way (its epilogue), so that no separate launch adds a bias,
// applies an activation or copies a layout:
//   Dense  C[r, c] -> data[r ld + c], plus beta times the value there (beta = 0 never reads it)
//   Nchw   C (Channels x Images Pixels), channel-major, -> data[(n C + r) P + p] for c = n P + p
// then bias[r] (BiasPerRow: a convolution's channel) or bias[c] (BiasPerColumn: a Linear layer's output), then the
// fused activation (x &gt; 0 ? x : slope x). C's column BiasGradientColumn, when set, is a bias gradient instead
// (the row sums that a column of ones in B produces) and goes to BiasGradient[r]. The same epilogue runs in the GEMM
// itself or, for a GEMM split along k, in the reduction that adds the chunks.
// The CPU reference is ../../Kernels/ChannelMajor.cs (layout), GemmCpu.FillRows (bias) and ../Elementwise (activation).
using ILGPU;

namespace VaeOnnx.Trainer.Engine.Backends.Dense;

public struct GemmOutput
{
    public const int DenseLayout = 0;
    public const int NchwLayout = 1;
    public const int NoBias = 0;
    public const int BiasPerRow = 1;
    public const int BiasPerColumn = 2;

    public ArrayView<float> Data;
    public ArrayView<float> Bias;
    public ArrayView<float> BiasGradient;
    public int Layout;
    public int Ld;
    public float Beta;
    public int BiasMode;
    public int Activated;
    public float Slope;
    public int BiasGradientColumn;
    public int Channels;
    public int Pixels;

    /// <summary>C into data (rows x ld), row-major, plus beta times what is there.</summary>
    public static GemmOutput Dense(ArrayView<float> data, int ld, float beta = 0f) =>
        new() { Data = data, Bias = data, BiasGradient = data, Layout = DenseLayout, Ld = ld, Beta = beta, BiasGradientColumn = -1 };

    /// <summary>C (channels x images pixels) into an (images, channels, pixels) tensor.</summary>
    public static GemmOutput Nchw(ArrayView<float> data, int channels, int pixels) =>
        new() { Data = data, Bias = data, BiasGradient = data, Layout = NchwLayout, Channels = channels, Pixels = pixels, BiasGradientColumn = -1 };

    public readonly GemmOutput WithBias(ArrayView<float> bias, bool perRow)
    {
        GemmOutput o = this;
        o.Bias = bias;
        o.BiasMode = perRow ? BiasPerRow : BiasPerColumn;
        return o;
    }

    public readonly GemmOutput WithActivation(FusedActivation activation)
    {
        GemmOutput o = this;
        o.Activated = activation.IsFused ? 1 : 0;
        o.Slope = activation.NegativeSlope;
        return o;
    }

    /// <summary>C's column <paramref name="column"/> goes to <paramref name="biasGradient"/>[row].</summary>
    public readonly GemmOutput WithBiasGradient(ArrayView<float> biasGradient, int column)
    {
        GemmOutput o = this;
        o.BiasGradient = biasGradient;
        o.BiasGradientColumn = column;
        return o;
    }

    /// <summary>Writes the finished value of C[r, c].</summary>
    public readonly void Store(int r, int c, float value)
    {
        if (c == BiasGradientColumn)
        {
            BiasGradient[r] = value;
            return;
        }
        long index;
        if (Layout == DenseLayout)
        {
            index = (long)r * Ld + c;
        }
        else
        {
            int n = c / Pixels;
            index = ((long)n * Channels + r) * Pixels + (c - n * Pixels);
        }
        if (Beta != 0f)
        {
            value += Beta * Data[index];
        }
        if (BiasMode == BiasPerRow)
        {
            value += Bias[r];
        }
        else if (BiasMode == BiasPerColumn)
        {
            value += Bias[c];
        }
        if (Activated != 0 && !(value > 0f))
        {
            value = Slope == 0f ? 0f : Slope * value;
        }
        Data[index] = value;
    }
}
