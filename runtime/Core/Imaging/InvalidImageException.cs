// The one exception image reading throws for input that is not a readable image (unknown format, corrupt data,
// a header claiming more pixels than the bound), so callers (CLI, HTTP service, trainer) can tell "bad file" apart
// from bugs. It does not wrap I/O failures such as a missing file: those stay IOExceptions.
namespace VaeOnnx.Runtime.Core.Imaging;

/// <summary>Input that is not a readable image: an unknown format, corrupt data, or a header claiming more pixels than the bound. A missing file stays an IOException.</summary>
public sealed class InvalidImageException : Exception
{
    /// <summary>A bad image described by <paramref name="message"/>.</summary>
    public InvalidImageException(string message)
        : base(message)
    {
    }

    /// <summary>A bad image described by <paramref name="message"/>, with the decoder's own failure as <paramref name="innerException"/>.</summary>
    public InvalidImageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
