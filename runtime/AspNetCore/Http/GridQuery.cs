// The layout of a PNG answer that holds several images, from the query: columns=K (tiles per row, 1 to the image
// count) and padding=P (pixels around and between tiles, 0 to MaxPadding). Without either, ImageGrid's defaults apply
// (8 columns, 2 pixels). columns=N&padding=0 gives a strip whose tile n starts at x = n × width, which a client can cut
// without knowing anything else. It does not draw (ImageGrid does) and is ignored for JSON answers.
using System.Globalization;
using Microsoft.AspNetCore.Http;
using VaeOnnx.Runtime.Core.Imaging;

namespace VaeOnnx.Runtime.AspNetCore.Http;

/// <summary>Reads the grid layout of PNG answers from the query string.</summary>
internal static class GridQuery
{
    /// <summary>Largest padding a client may ask for, in pixels.</summary>
    public const int MaxPadding = 16;

    /// <summary>The layout the query asks for a grid of <paramref name="count"/> images; null when it names neither field. Throws a 400 problem on a bad value.</summary>
    public static ImageGridOptions? Parse(IQueryCollection query, int count)
    {
        ArgumentNullException.ThrowIfNull(query);
        string? columnsText = query["columns"], paddingText = query["padding"];
        if (columnsText is null && paddingText is null) return null;
        var defaults = new ImageGridOptions();
        int columns = columnsText is null ? Math.Min(defaults.Columns, count) : Int(columnsText, "columns", 1, Math.Max(1, count), "the number of images");
        int padding = paddingText is null ? defaults.Padding : Int(paddingText, "padding", 0, MaxPadding, "pixels");
        return defaults with { Columns = columns, Padding = padding };
    }

    private static int Int(string text, string name, int min, int max, string what)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
            throw RequestProblem.BadRequest($"{name} is '{(text.Length > 20 ? text[..20] + "..." : text)}'; use a whole number from {min} to {max} ({what}).");
        return value;
    }
}
