// Raised when a well-formed image does not fit what a model expects (wrong size, wrong channels), as opposed to
// PngFormatException for a broken file. Its message names the image, the actual and the expected shape.
namespace VaeOnnx.Runtime.Core.Imaging;

/// <summary>A well-formed image that does not fit the model (size or channels); the message names the image, what it is and what the model expects.</summary>
public sealed class ImageMismatchException : Exception
{
    /// <summary>An image mismatch described by <paramref name="message"/>.</summary>
    public ImageMismatchException(string message)
        : base(message)
    {
    }
}
