// Turns an uploaded image (PNG, or any format ImageSharp reads) into the model's planar (1, C, H, W) input. The
// header is identified before any pixel is decoded, so a wrong-size image or a tiny file claiming huge dimensions
// is refused without allocating for it. Every decoding failure of this untrusted input becomes a 400 problem.
// It does not resize or convert colour unless asked: by the caller's ImageReadOptions, or for the service's uploads by
// VaeServingOptions.ResizeUploads and GreyUploads.
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.Imaging;

namespace VaeOnnx.Runtime.AspNetCore.Http;

internal static partial class ImageInput
{
    /// <summary>Example wording for an image body, used in the service's messages.</summary>
    public const string Example = "the bytes of an image file (PNG, JPEG, BMP, GIF, TGA, WebP, TIFF or PBM) with its Content-Type";

    /// <summary>Reads the request's image body (any format ImageSharp reads, within the body limit) as the model's input,
    /// resized or made grey only as the service's options say.</summary>
    public static async Task<float[]> ReadAsync(HttpContext context, ModelHost host, ILogger logger)
    {
        var (body, _) = await RequestBody.ReadAsync(context, ImageFile.MediaTypes, host.Options.MaxBodyBytes, Example);
        return ToModelInput(body, host.Metadata, logger, UploadOptions(host.Options, host.Metadata));
    }

    /// <summary>How the service reads uploads: as stored, unless ResizeUploads (a resampler) or GreyUploads is set.</summary>
    public static ImageReadOptions UploadOptions(VaeServingOptions options, VaeMetadata metadata) => new()
    {
        Resize = options.ResizeUploads is null ? null : (metadata.Height, metadata.Width),
        Resampler = options.ResizeUploads ?? new ImageReadOptions().Resampler,
        Grey = options.GreyUploads,
    };

    /// <summary>(C, H, W) pixels in [0, 1] for one image of the model's size (or resized to it when asked).</summary>
    public static float[] ToModelInput(byte[] body, VaeMetadata metadata, ILogger logger, ImageReadOptions? read = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(metadata);
        read ??= new ImageReadOptions();
        PixelImage image;
        try
        {
            if (body.Length == 0)
            {
                throw RequestProblem.BadRequest($"The body is empty; send {Example}.");
            }
            var (height, width) = ImageFile.Identify(body, "the uploaded image");
            if (read.Resize is null && (height != metadata.Height || width != metadata.Width))
            {
                throw RequestProblem.BadRequest(
                    $"The image is {height}×{width} (H×W) pixels; this model takes {metadata.Height}×{metadata.Width} (H×W) images with {metadata.Channels} channel(s). Resize it first (or start the service with --resize-uploads).");
            }
            image = ImageFile.Decode(body, read, "the uploaded image");
        }
        catch (InvalidImageException e)
        {
            throw RequestProblem.BadRequest($"The body is not a valid image: {e.Message}");
        }
        catch (Exception e) when (e is not OutOfMemoryException and not RequestProblemException)
        {
            // The decoder met input it did not anticipate; it is still the client's bytes that are wrong.
            LogDecoderFault(logger, e);
            throw RequestProblem.BadRequest("The body is not a valid image (the decoder could not read it).");
        }
        try
        {
            return ImageConversion.ToPlanar(image, metadata.Channels, metadata.Height, metadata.Width, "the uploaded image");
        }
        catch (ImageMismatchException e)
        {
            throw RequestProblem.BadRequest(e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The image decoder threw on an uploaded body; answered 400")]
    private static partial void LogDecoderFault(ILogger logger, Exception exception);
}
