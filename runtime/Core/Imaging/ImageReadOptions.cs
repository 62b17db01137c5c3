// How an input image is read: the pixel bound checked on the header before decoding, an optional resize to a
// size (H×W) with a named resampler, an optional colour-to-grey conversion, and whether the bytes may be TGA. Without
// Resize and Grey, the pixels reach the model exactly as stored (ImageConversion then accepts only lossless channel
// changes).
using SixLabors.ImageSharp.Processing;
using SixLabors.ImageSharp.Processing.Processors.Transforms;

namespace VaeOnnx.Runtime.Core.Imaging;

/// <summary>How an input image is read: the pixel bound checked on its header before decoding, an optional resize to the model's H × W, an optional conversion to grey. Without these, pixels reach the model exactly as stored.</summary>
public sealed record ImageReadOptions
{
    /// <summary>Default bound on width × height read from a header: 16.7 megapixels (4096×4096).</summary>
    public const long DefaultMaxPixels = 1L << 24;

    /// <summary>Largest width × height a header may claim; larger images are refused before any pixel is decoded.</summary>
    public long MaxPixels { get; init; } = DefaultMaxPixels;

    /// <summary>When set, images are scaled to this height and width (aspect ratio not kept).</summary>
    public (int Height, int Width)? Resize { get; init; }

    /// <summary>The resampler Resize uses; one of <see cref="ResamplerNames"/>.</summary>
    public string Resampler { get; init; } = "bicubic";

    /// <summary>Convert colour to grey (ITU-R BT.709 luminance) before the model sees it.</summary>
    public bool Grey { get; init; }

    /// <summary>
    /// The bytes may be TGA (an upload sent as image/x-tga). TGA has no signature, so it is tried only when no other
    /// format's signature matches, and only when this is set or the name ends in .tga.
    /// </summary>
    public bool MayBeTga { get; init; }

    /// <summary>The resampler names Resize understands.</summary>
    public static IReadOnlyList<string> ResamplerNames { get; } = ["nearest", "box", "bilinear", "bicubic", "mitchell", "lanczos3", "spline"];

    /// <summary>The ImageSharp resampler for <paramref name="name"/>; ArgumentException naming the choices otherwise.</summary>
    public static IResampler ResamplerFor(string name) => name.Trim().ToLowerInvariant() switch
    {
        "nearest" => KnownResamplers.NearestNeighbor,
        "box" => KnownResamplers.Box,
        "bilinear" => KnownResamplers.Triangle,
        "bicubic" => KnownResamplers.Bicubic,
        "mitchell" => KnownResamplers.MitchellNetravali,
        "lanczos3" => KnownResamplers.Lanczos3,
        "spline" => KnownResamplers.Spline,
        _ => throw new ArgumentException($"Unknown resampler '{name}'; use one of {string.Join(", ", ResamplerNames)}.", nameof(name)),
    };
}
