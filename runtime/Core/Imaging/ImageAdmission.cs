// The one way an input image enters the runtime, for every entry point: the CLI's --in files, the service's uploads
// and the trainer's folder datasets. In order:
//   1. ContainerScan recognises the format by its signature (TGA only when the name or the caller allows it) and walks
//      its structure: a file that ends early or does not hold together is refused as truncated or corrupt, frames and
//      pages are counted, and a file of several is cut down to its first frame.
//   2. The decoder identifies the header (under a small DecodeBudget): the size, turned by the EXIF orientation, must
//      be a real size within ImageReadOptions.MaxPixels, and a model's caller checks it against the model's here.
//   3. The first frame is decoded (Netpbm by NetpbmDecoder, the rest by ImageSharp) as 16-bit RGBA under a DecodeBudget sized from the canvas (frames × canvas can never
//      be asked for: there is one frame). A file that cannot carry alpha but decodes with transparent pixels lost
//      data the decoder never saw (ImageSharp fills it with zeros): refused as incomplete.
//   4. The EXIF orientation is applied, once; then the resize and grey conversion the options ask for.
//   5. The pixels are kept losslessly (ImageFile's rules), except that a lossy file (JPEG, VP8 WebP) whose colours are
//      all within two levels of grey is read as grey: YUV rounding of a grey picture is not colour.
// Every failure caused by the bytes is an InvalidImageException (or ImageMismatchException for a valid image that
// does not fit the model) whose one line starts with the name; nothing else escapes but OutOfMemoryException.
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tga;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using VaeOnnx.Runtime.Core.Imaging.Containers;

namespace VaeOnnx.Runtime.Core.Imaging;

/// <summary>The admission of an input image: format and structure checked, header identified and bounded, first frame
/// decoded under a memory budget, EXIF orientation applied. Used by the CLI, the service and the trainer alike.</summary>
public static class ImageAdmission
{
    /// <summary>Bytes of decoder memory allowed per pixel of the frame and of a resize target (the 16-bit RGBA frame
    /// takes 8; scan lines, colour conversion and resize kernels the rest).</summary>
    public const int BudgetBytesPerPixel = 40;

    /// <summary>Decoder memory allowed per byte of the file (bit readers and metadata copy parts of it).</summary>
    public const int BudgetBytesPerFileByte = 4;

    /// <summary>Decoder memory allowed whatever the size (tables, small buffers): 8 MiB.</summary>
    public const long BudgetSlackBytes = 8L << 20;

    // Lossy YUV coding turns a grey picture into colours a level or two apart; within this many 8-bit levels, it is grey.
    private const int LossyGreyLevels = 2;

    private static readonly GifDecoder Gif = new() { DecodingMode = SixLabors.ImageSharp.Metadata.FrameDecodingMode.First };
    private static readonly TiffDecoder Tiff = new() { DecodingMode = SixLabors.ImageSharp.Metadata.FrameDecodingMode.First };
    private static readonly PngDecoder Png = new();
    private static readonly JpegDecoder Jpeg = new();
    private static readonly BmpDecoder Bmp = new();
    private static readonly WebpDecoder Webp = new();
    private static readonly TgaDecoder Tga = new();

    /// <summary>
    /// The header of <paramref name="data"/> (steps 1-2), without decoding pixels. Throws InvalidImageException, naming
    /// <paramref name="name"/>, for a file that is empty, of no format read here, truncated, corrupt, or larger than
    /// <see cref="ImageReadOptions.MaxPixels"/>.
    /// </summary>
    /// <param name="data">The file's bytes.</param>
    /// <param name="name">Names the image in errors (a path, "the uploaded image"); a name ending in .tga allows TGA.</param>
    /// <param name="options">The pixel bound and whether the bytes may be TGA; defaults when null.</param>
    public static ImageHeader Identify(ReadOnlySpan<byte> data, string name, ImageReadOptions? options = null) =>
        Examine(data, name, options ?? new ImageReadOptions()).Header;

    /// <summary>Decodes <paramref name="data"/> (steps 1-5) into pixels; throws InvalidImageException naming <paramref name="name"/>.</summary>
    /// <param name="data">The file's bytes.</param>
    /// <param name="name">Names the image in errors; a name ending in .tga allows TGA.</param>
    /// <param name="options">Bound, resize, grey conversion; defaults when null.</param>
    public static PixelImage Decode(ReadOnlySpan<byte> data, string name, ImageReadOptions? options = null)
    {
        options ??= new ImageReadOptions();
        var probe = Examine(data, name, options);
        return Decode(probe.Facts.FirstFrameOnly is { } first ? first : data, name, options, probe);
    }

    /// <summary>
    /// Admits <paramref name="data"/> as input to a model of <paramref name="modelSize"/> (H, W): without
    /// <see cref="ImageReadOptions.Resize"/> an image of another size is refused from its header, before any pixel is
    /// decoded, with an ImageMismatchException that ends in <paramref name="resizeAdvice"/>; then it is decoded.
    /// </summary>
    /// <param name="data">The file's bytes.</param>
    /// <param name="name">Names the image in errors.</param>
    /// <param name="options">Bound, resize, grey conversion, TGA.</param>
    /// <param name="modelSize">The model's (height, width).</param>
    /// <param name="resizeAdvice">What the caller's user does about another size ("Pass --resize to scale it.").</param>
    public static AdmittedImage Admit(ReadOnlySpan<byte> data, string name, ImageReadOptions options, (int Height, int Width) modelSize, string resizeAdvice)
    {
        ArgumentNullException.ThrowIfNull(options);
        var probe = Examine(data, name, options);
        var header = probe.Header;
        if (options.Resize is null && (header.Height, header.Width) != modelSize)
        {
            throw new ImageMismatchException(
                $"{char.ToUpperInvariant(name[0])}{name[1..]} is {header.Height}×{header.Width} (H×W) pixels; this model takes {modelSize.Height}×{modelSize.Width} (H×W) images. {resizeAdvice}");
        }
        return new AdmittedImage(Decode(probe.Facts.FirstFrameOnly is { } first ? first : data, name, options, probe), header);
    }

    private sealed record Probe(ContainerFacts Facts, IImageDecoder Decoder, ImageHeader Header);

    private static Probe Examine(ReadOnlySpan<byte> data, string name, ImageReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (data.IsEmpty)
        {
            throw new InvalidImageException(DecoderFaults.Empty(name));
        }
        ContainerFacts facts;
        try
        {
            facts = ContainerScan.Scan(data, options.MayBeTga || name.EndsWith(".tga", StringComparison.OrdinalIgnoreCase))
                ?? throw new InvalidImageException(DecoderFaults.UnknownFormat(name));
        }
        catch (ContainerException e)
        {
            throw new InvalidImageException(DecoderFaults.Container(e, name, data.Length), e);
        }
        ReadOnlySpan<byte> bytes = facts.FirstFrameOnly is { } first ? first : data;
        var decoder = DecoderFor(facts.Format);
        var budget = new DecodeBudget(BudgetBytesPerFileByte * (long)bytes.Length + BudgetSlackBytes);
        IImageInfo? info = facts.Format == ImageFormatKind.Pbm
            ? NetpbmDecoder.Identify(bytes)
            : InPlace(bytes, stream => Guarded(name, stream.Length, budget,
                () => ((IImageInfoDetector)decoder).Identify(budget.Configuration(), stream, CancellationToken.None)));
        if (info is null)
        {
            throw new InvalidImageException($"{name}: the {facts.FormatName} header could not be read; the file is corrupt. Copy or download it again.");
        }
        int orientation = Orientation(info.Metadata);
        bool turned = orientation >= 5;
        int height = turned ? info.Width : info.Height, width = turned ? info.Height : info.Width;
        CheckSize(name, height, width, options);
        string? note = facts.Frames > 1
            ? $"{name} holds {(facts.Frames >= TiffContainer.MaxPagesCounted ? "at least " : "")}{facts.Frames} {facts.FrameWord}; only the first is read."
            : null;
        var header = new ImageHeader(height, width) { Format = facts.FormatName, Frames = facts.Frames, Orientation = orientation, Note = note };
        return new Probe(facts, decoder, header);
    }

    private static void CheckSize(string name, int height, int width, ImageReadOptions options)
    {
        if (height < 1 || width < 1)
        {
            // A negative size is a field the decoder read past its range (a PNG's 0xFFFFFFFF as -1): not worth quoting.
            string size = height < 0 || width < 0 ? "a negative width or height" : $"a size of {height}×{width} (H×W) pixels";
            throw new InvalidImageException($"{name}: the header gives {size}, which no image has; the file is corrupt. Copy or download it again.");
        }
        if (height > PixelImage.MaxDimension || width > PixelImage.MaxDimension || (long)height * width > options.MaxPixels)
        {
            throw new InvalidImageException(
                $"{name}: the header says {height}×{width} (H×W) pixels, more than the {Math.Min(options.MaxPixels, PixelImage.MaxPixels)} allowed " +
                $"(at most {PixelImage.MaxDimension} a side); refused before decoding. Use a smaller image.");
        }
    }

    private static PixelImage Decode(ReadOnlySpan<byte> bytes, string name, ImageReadOptions options, Probe probe)
    {
        var header = probe.Header;
        long canvas = (long)header.Height * header.Width;
        long target = options.Resize is (int h, int w) ? (long)Math.Max(h, 0) * Math.Max(w, 0) : 0;
        var budget = new DecodeBudget(BudgetBytesPerPixel * (canvas + target) + BudgetBytesPerFileByte * (long)bytes.Length + BudgetSlackBytes);
        var image = probe.Facts.Format == ImageFormatKind.Pbm
            ? DecodeNetpbm(bytes, name, budget)
            : InPlace(bytes, stream => Guarded(name, stream.Length, budget,
                () => probe.Decoder.Decode<Rgba64>(budget.Configuration(), stream, CancellationToken.None)));
        using (image)
        {
            if (!probe.Facts.CanHaveAlpha && CountTransparent(image) is > 0 and long missing)
            {
                throw new InvalidImageException(
                    $"{name}: the image data is incomplete: {missing} of {canvas} pixels were never decoded (the {probe.Facts.FormatName} data is truncated or damaged); copy or download the file again.");
            }
            return Guarded(name, bytes.Length, budget, () =>
            {
                if (header.Orientation != 1)
                {
                    image.Mutate(x => x.AutoOrient());
                }
                if (options.Resize is (int height, int width))
                {
                    if (height < 1 || width < 1 || (long)height * width > options.MaxPixels)
                    {
                        throw new ArgumentOutOfRangeException(nameof(options), $"Resize to {height}×{width} (H×W) is not possible; both sizes must be positive and within the pixel bound.");
                    }
                    var sampler = ImageReadOptions.ResamplerFor(options.Resampler);
                    image.Mutate(x => x.Resize(new ResizeOptions { Size = new Size(width, height), Mode = ResizeMode.Stretch, Sampler = sampler }));
                }
                if (options.Grey)
                {
                    image.Mutate(x => x.Grayscale());
                }
                return ImageSharpPixels.From(image, probe.Facts.Lossy ? LossyGreyLevels * 257 : 0);
            });
        }
    }

    private static unsafe Image<Rgba64> DecodeNetpbm(ReadOnlySpan<byte> bytes, string name, DecodeBudget budget)
    {
        fixed (byte* pointer = bytes)
        {
            int length = bytes.Length;
            nint address = (nint)pointer;
            return Guarded(name, length, budget, () => NetpbmDecoder.Decode(new ReadOnlySpan<byte>((byte*)address, length), budget.Configuration()));
        }
    }

    private static IImageDecoder DecoderFor(ImageFormatKind format) => format switch
    {
        ImageFormatKind.Png => Png,
        ImageFormatKind.Jpeg => Jpeg,
        ImageFormatKind.Gif => Gif,
        ImageFormatKind.Bmp => Bmp,
        ImageFormatKind.Tiff => Tiff,
        ImageFormatKind.Webp => Webp,
        _ => Tga,
    };

    private static int Orientation(ImageMetadata metadata)
    {
        try
        {
            return metadata.ExifProfile?.GetValue(ExifTag.Orientation)?.Value is ushort value and >= 1 and <= 8 ? value : 1;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return 1; // an unreadable EXIF block orients nothing; the pixels are still the file's
        }
    }

    private static long CountTransparent(Image<Rgba64> image)
    {
        long transparent = 0;
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                foreach (var p in rows.GetRowSpan(y))
                {
                    if (p.A != ushort.MaxValue) transparent++;
                }
            }
        });
        return transparent;
    }

    // Untrusted bytes can make a decoder throw anything (ImageSharp 2.1 has thrown NullReferenceException, divided by
    // zero and indexed out of range on mutated files): that is still the file's fault. Only running out of memory, and
    // argument errors of our own (a bad resize), are not the file's.
    private static T Guarded<T>(string name, long length, DecodeBudget budget, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (FindBudget(e) is not null)
        {
            throw new InvalidImageException(
                $"{name}: decoding it would take more than {budget.Bytes >> 20} MiB, more than an image of its size needs; the file is corrupt or made to exhaust memory. Refused.", e);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or InvalidImageException or ArgumentOutOfRangeException { ParamName: "options" }))
        {
            throw new InvalidImageException(DecoderFaults.Describe(e, name, length), e);
        }
    }

    private static DecodeBudgetException? FindBudget(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is DecodeBudgetException budget) return budget;
        }
        return null;
    }

    // Reads the bytes where they are: identifying an upload must not first copy the whole body.
    private static unsafe T InPlace<T>(ReadOnlySpan<byte> data, Func<Stream, T> read)
    {
        fixed (byte* bytes = data)
        {
            using var stream = new UnmanagedMemoryStream(bytes, data.Length);
            return read(stream);
        }
    }
}
