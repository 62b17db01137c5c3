// The error for data the trainer cannot use: a missing, truncated or corrupt file, a bad folder, a failed download.
// Its message names the file and says what to do; the CLI prints it as one line. Bugs are not reported with it.
namespace VaeOnnx.Trainer.Data;

public sealed class DatasetException : Exception
{
    public DatasetException(string message)
        : base(message)
    {
    }

    public DatasetException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
