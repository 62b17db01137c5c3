// One operand of the GPU GEMM as the kernel reads it: op(X)[r, c] of a matrix X that is either a dense row-major
// array, or read straight out of an NCHW tensor so that no layout copy is ever made:
//   Dense         X[i, j] = data[i ld + j]
//   ChannelMajor  X (Channels x Images Pixels) of an (Images, Channels, Pixels) tensor: X[ch, n P + p] = data[(n C + ch) P + p]
//   Im2Col        X (Channels k k x Images Gh Gw), the im2col matrix of an image batch, gathered on the fly (zero
//                 outside the image), as Convolution/Im2ColGpu.Unfold describes it
// op(X) = X or X^T. Optionally each value is multiplied by an activation's derivative read from the activation's
// output at the same index (mask > 0 ? 1 : slope): that is how a layer whose ReLU was fused into its output reads its
// output gradient (Layers/LayerFusion). B may carry one extra column of ones, so that C's extra column is the row sums
// of op(A): a weight-gradient GEMM then yields the bias gradient too.
// The CPU reference of what these read is ../../Kernels/Im2Col.cs and ChannelMajor.cs; it does not compute anything.
using ILGPU;
using VaeOnnx.Trainer.Engine.Backends.Convolution;

namespace VaeOnnx.Trainer.Engine.Backends.Dense;

public struct GemmOperand
{
    public const int DenseLayout = 0;
    public const int ChannelMajorLayout = 1;
    public const int Im2ColLayout = 2;

    public ArrayView<float> Data;

    /// <summary>The activation's output whose sign gates each value (Data itself when there is no mask).</summary>
    public ArrayView<float> Mask;

    public int Layout;

    /// <summary>1 when op(X) = X^T.</summary>
    public int Transposed;

    /// <summary>Dense: the row stride of X.</summary>
    public int Ld;

    /// <summary>1 when each value is multiplied by mask &gt; 0 ? 1 : MaskSlope.</summary>
    public int Masked;

    public float MaskSlope;

    /// <summary>The column of op(X) that reads as ones (B's bias-gradient column), or -1.</summary>
    public int OnesColumn;

    // The tensor's geometry (ChannelMajor: Images, Channels, Pixels; Im2Col: all but Pixels).
    public int Images;
    public int Channels;
    public int Pixels;
    public int Height;
    public int Width;
    public int GridHeight;
    public int GridWidth;
    public int Kernel;
    public int Stride;
    public int Padding;

    /// <summary>op(X) is contiguous along its columns (X's rows are contiguous in every layout).</summary>
    public readonly bool ColumnsContiguous => Transposed == 0;

    /// <summary>X = data (rows x ld), row-major; op(X) = X^T when <paramref name="transposed"/>.</summary>
    public static GemmOperand Dense(ArrayView<float> data, bool transposed, int ld) =>
        new() { Data = data, Mask = data, Layout = DenseLayout, Transposed = transposed ? 1 : 0, Ld = ld, OnesColumn = -1 };

    /// <summary>X (channels x images pixels) read from an (images, channels, pixels) tensor.</summary>
    public static GemmOperand ChannelMajor(ArrayView<float> data, bool transposed, int images, int channels, int pixels) =>
        new()
        {
            Data = data, Mask = data, Layout = ChannelMajorLayout, Transposed = transposed ? 1 : 0, OnesColumn = -1,
            Images = images, Channels = channels, Pixels = pixels,
        };

    /// <summary>X = the im2col matrix of the images <paramref name="u"/> describes.</summary>
    public static GemmOperand Im2Col(ArrayView<float> data, bool transposed, in Im2ColGpu.Unfold u) =>
        new()
        {
            Data = data, Mask = data, Layout = Im2ColLayout, Transposed = transposed ? 1 : 0, OnesColumn = -1,
            Images = u.Images, Channels = u.Channels, Height = u.Height, Width = u.Width, GridHeight = u.GridHeight, GridWidth = u.GridWidth,
            Kernel = u.Kernel, Stride = u.Stride, Padding = u.Padding,
        };

    /// <summary>This operand with every value multiplied by the activation's derivative, read from its output <paramref name="output"/>.</summary>
    public readonly GemmOperand MaskedBy(FusedActivation activation, ArrayView<float> output)
    {
        GemmOperand o = this;
        if (activation.IsFused)
        {
            o.Mask = output;
            o.Masked = 1;
            o.MaskSlope = activation.NegativeSlope;
        }
        return o;
    }

    /// <summary>This operand with column <paramref name="column"/> of op(X) reading as ones.</summary>
    public readonly GemmOperand WithOnesColumn(int column)
    {
        GemmOperand o = this;
        o.OnesColumn = column;
        return o;
    }

    /// <summary>op(X)[r, c], 0 outside rows x columns (and outside the image for Im2Col).</summary>
    public readonly float Fetch(int r, int c, int rows, int columns)
    {
        if (r >= rows || c >= columns)
        {
            return 0f;
        }
        if (c == OnesColumn)
        {
            return 1f;
        }
        int i = Transposed != 0 ? c : r;
        int j = Transposed != 0 ? r : c;
        long index;
        if (Layout == DenseLayout)
        {
            index = (long)i * Ld + j;
        }
        else if (Layout == ChannelMajorLayout)
        {
            int n = j / Pixels;
            index = ((long)n * Channels + i) * Pixels + (j - n * Pixels);
        }
        else
        {
            int taps = Kernel * Kernel;
            int ch = i / taps, tap = i - ch * taps;
            int ki = tap / Kernel, kj = tap - ki * Kernel;
            int gridPixels = GridHeight * GridWidth;
            int n = j / gridPixels, p = j - n * gridPixels;
            int oh = p / GridWidth, ow = p - oh * GridWidth;
            int h = oh * Stride - Padding + ki, w = ow * Stride - Padding + kj;
            if (h < 0 || h >= Height || w < 0 || w >= Width)
            {
                return 0f;
            }
            index = (((long)n * Channels + ch) * Height + h) * Width + w;
        }
        float value = Data[index];
        if (Masked != 0 && !(Mask[index] > 0f))
        {
            value = MaskSlope == 0f ? 0f : MaskSlope * value;
        }
        return value;
    }
}
