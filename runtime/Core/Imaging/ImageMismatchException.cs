// Raised when a well-formed image does not fit what a model expects (wrong size, wrong channels), as opposed to
// PngFormatException for a broken file. Its message names the image, the actual and the expected shape.
namespace VaeOnnx.Runtime.Core.Imaging;

public sealed class ImageMismatchException : Exception
{
    public ImageMismatchException(string message)
        : base(message)
    {
    }
}
