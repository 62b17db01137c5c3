// Progress as plain lines, for logs and pipes (CI): a line at most every few seconds while an epoch runs, and one
// summary line per epoch. No cursor movement, no colour.
using System.Diagnostics;

namespace VaeOnnx.Trainer.Training;

public sealed class PlainProgress(TextWriter output, TimeSpan interval, string? device = null) : ITrainingProgress
{
    private readonly Stopwatch _sinceLastLine = new();
    private int _epoch, _totalEpochs, _batchCount;

    /// <param name="output">Where the lines go.</param>
    /// <param name="device">The device the running lines name (null: none).</param>
    public PlainProgress(TextWriter output, string? device = null)
        : this(output, TimeSpan.FromSeconds(10), device)
    {
    }

    public void EpochStarted(int epoch, int totalEpochs, int batchCount, int startBatch)
    {
        (_epoch, _totalEpochs, _batchCount) = (epoch, totalEpochs, batchCount);
        if (startBatch > 0)
        {
            output.WriteLine($"epoch {epoch}/{totalEpochs}: resuming at batch {startBatch + 1} of {batchCount}");
        }
        _sinceLastLine.Restart();
    }

    public void StepCompleted(int batchesDone, RunningLoss running)
    {
        if (_sinceLastLine.Elapsed >= interval && batchesDone < _batchCount)
        {
            output.WriteLine($"{ProgressText.Running(_epoch, _totalEpochs, running, device)}  [{batchesDone}/{_batchCount}]");
            output.Flush();
            _sinceLastLine.Restart();
        }
    }

    public void Evaluating()
    {
    }

    public void EpochCompleted(EpochMetrics metrics, int totalEpochs)
    {
        output.WriteLine(ProgressText.Summary(metrics, totalEpochs));
        output.Flush();
    }
}
