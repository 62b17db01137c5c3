// Turns an uploaded PNG into the model's planar (1, C, H, W) input. The header is checked before any pixel is
// inflated, so a wrong-size image or a tiny file claiming huge dimensions is refused without allocating for it.
// Every decoding failure of this untrusted input becomes a 400 problem. It does not resize or convert colour spaces.
using System.Buffers.Binary;
using Microsoft.Extensions.Logging;
using VaeOnnx.Runtime.Core.Imaging;

namespace VaeOnnx.Runtime.AspNetCore.Http;

public static partial class PngInput
{
    private static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>(C, H, W) pixels in [0, 1] for one image of exactly the model's size and channel count.</summary>
    public static float[] ToModelInput(byte[] body, VaeMetadata metadata, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(metadata);
        CheckHeader(body, metadata);
        PixelImage image;
        try
        {
            image = Png.Decode(body);
        }
        catch (PngFormatException e)
        {
            throw RequestProblem.BadRequest($"The body is not a valid PNG: {e.Message}");
        }
        catch (Exception e) when (e is not OutOfMemoryException and not RequestProblemException)
        {
            // The decoder met input it did not anticipate; it is still the client's bytes that are wrong.
            LogDecoderFault(logger, e);
            throw RequestProblem.BadRequest("The body is not a valid PNG (the decoder could not read it).");
        }
        try
        {
            return ImageConversion.ToPlanar(image, metadata.Channels, metadata.Height, metadata.Width, "the uploaded PNG");
        }
        catch (ImageMismatchException e)
        {
            throw RequestProblem.BadRequest(e.Message);
        }
    }

    private static void CheckHeader(byte[] body, VaeMetadata metadata)
    {
        if (body.Length < 33 || !body.AsSpan(0, 8).SequenceEqual(Signature))
            throw RequestProblem.BadRequest("The body is not a PNG: it does not start with the PNG signature. Send the PNG file's bytes as the body with Content-Type: image/png.");
        if (!body.AsSpan(12, 4).SequenceEqual("IHDR"u8))
            throw RequestProblem.BadRequest("The body is not a valid PNG: its first chunk is not IHDR.");
        uint width = BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(16, 4));
        uint height = BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(20, 4));
        if (width != metadata.Width || height != metadata.Height)
            throw RequestProblem.BadRequest(
                $"The image is {width}x{height} pixels; this model takes {metadata.Width}x{metadata.Height} (width x height) images with {metadata.Channels} channel(s). Resize it first.");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The PNG decoder threw on an uploaded body; answered 400")]
    private static partial void LogDecoderFault(ILogger logger, Exception exception);
}
