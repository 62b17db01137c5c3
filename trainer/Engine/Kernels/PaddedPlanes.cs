// A per-thread copy of one image with its zero border made explicit, shared by Im2Col and Col2Im: with the padding
// stored, the patch element (oh, ow, ki, kj) of channel c sits at c * PlaneLength + ki * PaddedWidth + kj + Offsets[q]
// (q = oh * outWidth + ow), so both directions become gathers/scatters through one offset table with no bounds tests.
// The padded plane spans exactly the rows and columns the kernel windows reach: (outHeight - 1) * stride + k on each
// side; image rows or columns beyond that (left over by the stride) are never read.
namespace VaeOnnx.Trainer.Engine.Kernels;

internal sealed unsafe class PaddedPlanes
{
    [ThreadStatic]
    private static PaddedPlanes? t_current;

    private float[] _storage = [];
    private int[] _offsets = [];
    private (int Stride, int PaddedWidth, int OutHeight, int OutWidth) _offsetsFor;
    private int _channels, _height, _width, _padding;

    public int PaddedHeight { get; private set; }

    public int PaddedWidth { get; private set; }

    public int PlaneLength => PaddedHeight * PaddedWidth;

    /// <summary>Start of the padded planes (channels, PaddedHeight, PaddedWidth); pinned.</summary>
    public float* Data { get; private set; }

    /// <summary>Offsets[q] = oh * stride * PaddedWidth + ow * stride, for q = oh * outWidth + ow.</summary>
    public int[] Offsets => _offsets;

    public static PaddedPlanes ForCurrentThread(int channels, int height, int width, int kernelSize, int stride, int padding,
        int outHeight, int outWidth)
    {
        PaddedPlanes planes = t_current ??= new PaddedPlanes();
        planes.Prepare(channels, height, width, kernelSize, stride, padding, outHeight, outWidth);
        return planes;
    }

    private void Prepare(int channels, int height, int width, int kernelSize, int stride, int padding, int outHeight, int outWidth)
    {
        (_channels, _height, _width, _padding) = (channels, height, width, padding);
        PaddedHeight = (outHeight - 1) * stride + kernelSize;
        PaddedWidth = (outWidth - 1) * stride + kernelSize;
        int length = channels * PlaneLength + StridedRows.ReadSlack;
        if (_storage.Length < length)
        {
            _storage = GC.AllocateUninitializedArray<float>(length, pinned: true);
        }
        fixed (float* data = _storage)
        {
            Data = data; // pinned array: the address stays valid
        }
        if (_offsetsFor != (stride, PaddedWidth, outHeight, outWidth))
        {
            if (_offsets.Length < outHeight * outWidth)
            {
                _offsets = new int[outHeight * outWidth];
            }
            for (int oh = 0; oh < outHeight; oh++)
            {
                for (int ow = 0; ow < outWidth; ow++)
                {
                    _offsets[oh * outWidth + ow] = oh * stride * PaddedWidth + ow * stride;
                }
            }
            _offsetsFor = (stride, PaddedWidth, outHeight, outWidth);
        }
    }

    /// <summary>Copies the image (channels, height, width) into the padded planes, zeros everywhere else.</summary>
    public void Load(ReadOnlySpan<float> image)
    {
        new Span<float>(Data, _channels * PlaneLength + StridedRows.ReadSlack).Clear();
        var (rowStart, rowEnd, columnStart, columnEnd) = InteriorRange();
        int length = columnEnd - columnStart;
        bool vector = StridedRows.IsSupported(1);
        fixed (float* source = image)
        {
            for (int c = 0; c < _channels; c++)
            {
                for (int ih = rowStart; ih < rowEnd; ih++)
                {
                    float* from = source + (long)(c * _height + ih) * _width + columnStart;
                    float* to = Data + (long)c * PlaneLength + (ih + _padding) * PaddedWidth + columnStart + _padding;
                    if (vector)
                    {
                        StridedRows.Copy(from, to, length);
                    }
                    else
                    {
                        new ReadOnlySpan<float>(from, length).CopyTo(new Span<float>(to, length));
                    }
                }
            }
        }
    }

    /// <summary>Clears the padded planes, for Col2Im to scatter into.</summary>
    public void Clear() => new Span<float>(Data, _channels * PlaneLength + StridedRows.ReadSlack).Clear();

    /// <summary>image += the interior of the padded planes (the part that maps back onto image pixels).</summary>
    public void AddInteriorTo(Span<float> image)
    {
        var (rowStart, rowEnd, columnStart, columnEnd) = InteriorRange();
        int length = columnEnd - columnStart;
        bool vector = StridedRows.IsSupported(1);
        fixed (float* target = image)
        {
            for (int c = 0; c < _channels; c++)
            {
                for (int ih = rowStart; ih < rowEnd; ih++)
                {
                    float* to = target + (long)(c * _height + ih) * _width + columnStart;
                    float* from = Data + (long)c * PlaneLength + (ih + _padding) * PaddedWidth + columnStart + _padding;
                    if (vector)
                    {
                        StridedRows.Add(from, to, length);
                    }
                    else
                    {
                        for (int i = 0; i < length; i++)
                        {
                            to[i] += from[i];
                        }
                    }
                }
            }
        }
    }

    // Image rows [rowStart, rowEnd) and columns [columnStart, columnEnd) that land inside the padded plane.
    private (int RowStart, int RowEnd, int ColumnStart, int ColumnEnd) InteriorRange()
    {
        int rowStart = Math.Max(0, -_padding), columnStart = rowStart;
        int rowEnd = Math.Min(_height, PaddedHeight - _padding);
        int columnEnd = Math.Min(_width, PaddedWidth - _padding);
        return (rowStart, Math.Max(rowStart, rowEnd), columnStart, Math.Max(columnStart, columnEnd));
    }
}
