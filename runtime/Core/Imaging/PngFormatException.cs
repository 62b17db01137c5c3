// The one exception the PNG decoder throws for malformed or unsupported input, so callers (CLI, HTTP service)
// can tell "bad file" apart from bugs. It does not wrap I/O failures such as a missing file: those stay IOExceptions.
namespace VaeOnnx.Runtime.Imaging;

public sealed class PngFormatException : Exception
{
    public PngFormatException(string message)
        : base(message)
    {
    }

    public PngFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
