// Turns an uploaded image (any format ImageAdmission reads) into the model's planar (1, C, H, W) input, through the
// same admission step as the CLI and the trainer: format by signature (TGA when sent as image/x-tga), structure and
// header checked before any pixel is decoded, so a wrong-size image or a tiny file claiming huge dimensions is refused
// without allocating for it; only the first frame decoded, under a memory budget; EXIF orientation applied (as the
// browser applies it to the page's preview). A file of several frames is answered with an X-Image-Note header saying
// so. Every failure of this untrusted input becomes a 400 problem. It does not resize or convert colour unless asked:
// by the caller's ImageReadOptions, or for the service's uploads by VaeServingOptions.ResizeUploads and GreyUploads.
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.Imaging;

namespace VaeOnnx.Runtime.AspNetCore.Http;

internal static partial class ImageInput
{
    /// <summary>Example wording for an image body, used in the service's messages.</summary>
    public const string Example = "the bytes of an image file (PNG, JPEG, BMP, GIF, TGA, WebP, TIFF or PBM/PGM/PPM) with its Content-Type";

    /// <summary>The response header that carries a note about the upload (only its first frame was read).</summary>
    public const string NoteHeader = "X-Image-Note";

    /// <summary>The media type that lets an upload be read as TGA (a format without a signature).</summary>
    public const string TgaMediaType = "image/x-tga";

    private const string UploadName = "the uploaded image";

    private const string ResizeAdvice = "Resize it first (or start the service with --resize-uploads).";

    /// <summary>Reads the request's image body (any format read, within the body limit) as the model's input,
    /// resized or made grey only as the service's options say.</summary>
    public static async Task<float[]> ReadAsync(HttpContext context, ModelHost host, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(host);
        var (body, mediaType) = await RequestBody.ReadAsync(context, ImageFile.MediaTypes, host.Options.MaxBodyBytes, Example);
        var (input, note) = Admit(body, host.Metadata, logger, UploadOptions(host.Options, host.Metadata, mediaType));
        if (note is not null)
        {
            context.Response.Headers[NoteHeader] = note;
        }
        return input;
    }

    /// <summary>How the service reads uploads: as stored, unless ResizeUploads (a resampler) or GreyUploads is set; TGA
    /// only when <paramref name="mediaType"/> is image/x-tga (other formats are recognised by their signature).</summary>
    public static ImageReadOptions UploadOptions(VaeServingOptions options, VaeMetadata metadata, string? mediaType = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metadata);
        return new()
        {
            Resize = options.ResizeUploads is null ? null : (metadata.Height, metadata.Width),
            Resampler = options.ResizeUploads ?? new ImageReadOptions().Resampler,
            Grey = options.GreyUploads,
            MayBeTga = string.Equals(mediaType, TgaMediaType, StringComparison.OrdinalIgnoreCase),
        };
    }

    /// <summary>(C, H, W) pixels in [0, 1] for one image of the model's size (or resized to it when asked).</summary>
    public static float[] ToModelInput(byte[] body, VaeMetadata metadata, ILogger logger, ImageReadOptions? read = null) =>
        Admit(body, metadata, logger, read).Input;

    private static (float[] Input, string? Note) Admit(byte[] body, VaeMetadata metadata, ILogger logger, ImageReadOptions? read)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(metadata);
        read ??= new ImageReadOptions();
        if (body.Length == 0)
        {
            throw RequestProblem.BadRequest($"The body is empty; send {Example}.");
        }
        AdmittedImage admitted;
        try
        {
            admitted = ImageAdmission.Admit(body, UploadName, read, (metadata.Height, metadata.Width), ResizeAdvice);
        }
        catch (InvalidImageException e)
        {
            throw RequestProblem.BadRequest($"The body is not a valid image: {e.Message}");
        }
        catch (ImageMismatchException e)
        {
            throw RequestProblem.BadRequest(e.Message);
        }
        if (admitted.Header.Note is { } note)
        {
            LogFirstFrameOnly(logger, note);
        }
        try
        {
            return (ImageConversion.ToPlanar(admitted.Image, metadata.Channels, metadata.Height, metadata.Width, UploadName), admitted.Header.Note);
        }
        catch (ImageMismatchException e)
        {
            throw RequestProblem.BadRequest(e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Note}")]
    private static partial void LogFirstFrameOnly(ILogger logger, string note);
}
