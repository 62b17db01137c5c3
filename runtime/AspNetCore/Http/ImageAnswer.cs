// Writes a batch of model images, (N, C, H, W) floats, as the answer: one PNG (a grid when N > 1) or JSON holding the
// exact float values, each only once the whole body is built (a non-finite image is the model's fault, never a cut
// body). It does not choose the format (ContentNegotiation does) and does not touch the model.
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using VaeOnnx.Runtime.Core.Imaging;

using VaeOnnx.Runtime.Core;

namespace VaeOnnx.Runtime.AspNetCore.Http;

internal static class ImageAnswer
{
    /// <summary>
    /// JSON shape: {"count", "channels", "height", "width", ...extra, "images": [[C*H*W floats in (C, H, W) order], ...]}.
    /// A PNG of several images is a grid laid out by <paramref name="grid"/> (GridQuery; null: ImageGrid's defaults).
    /// </summary>
    public static async Task WriteAsync(HttpContext context, ResponseFormat format, float[] images, int count, VaeMetadata metadata,
        Action<Utf8JsonWriter>? extraJson = null, ImageGridOptions? grid = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(images);
        int c = metadata.Channels, h = metadata.Height, w = metadata.Width;
        int perImage = c * h * w;
        if (images.Length != count * perImage)
            throw new InvalidOperationException($"The model returned {images.Length} values; {count} images of ({c}, {h}, {w}) need {count * perImage}.");

        // Checked before anything is sent: NaN or infinity has no PNG pixel and no JSON number.
        JsonAnswer.RequireFinite(images, "its images", perImage);
        var response = context.Response;
        if (format == ResponseFormat.Png)
        {
            PixelImage picture = count == 1 ? ImageConversion.FromPlanar(images, c, h, w) : ImageGrid.FromPlanarBatch(images, count, c, h, w, grid);
            using var encoded = new MemoryStream();
            ImageFile.EncodePng(picture, encoded);
            response.ContentType = ContentNegotiation.Png;
            response.ContentLength = encoded.Length;
            await response.Body.WriteAsync(encoded.GetBuffer().AsMemory(0, (int)encoded.Length), context.RequestAborted).ConfigureAwait(false);
            return;
        }

        await JsonAnswer.WriteAsync(context, json =>
        {
            json.WriteStartObject();
            json.WriteNumber("count", count);
            json.WriteNumber("channels", c);
            json.WriteNumber("height", h);
            json.WriteNumber("width", w);
            extraJson?.Invoke(json);
            json.WriteStartArray("images");
            for (int n = 0; n < count; n++)
            {
                json.WriteStartArray();
                foreach (float value in images.AsSpan(n * perImage, perImage)) json.WriteNumberValue(value);
                json.WriteEndArray();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }).ConfigureAwait(false);
    }
}
