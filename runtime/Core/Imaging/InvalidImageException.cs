// The one exception image reading throws for input that is not a readable image (unknown format, corrupt data,
// a header claiming more pixels than the bound), so callers (CLI, HTTP service, trainer) can tell "bad file" apart
// from bugs. It does not wrap I/O failures such as a missing file: those stay IOExceptions.
namespace VaeOnnx.Runtime.Core.Imaging;

public sealed class InvalidImageException : Exception
{
    public InvalidImageException(string message)
        : base(message)
    {
    }

    public InvalidImageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
