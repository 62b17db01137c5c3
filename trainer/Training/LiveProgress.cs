// Progress on a terminal through Spectre.Console: one bar for the running epoch whose label shows the running loss,
// its reconstruction/KL split and images per second; a finished epoch's bar is replaced by its summary line, printed
// above the live bar. Used inside Progress.Start.
using Spectre.Console;

namespace VaeOnnx.Trainer.Training;

public sealed class LiveProgress(ProgressContext context, IAnsiConsole console, string? device = null) : ITrainingProgress
{
    private ProgressTask? _task;
    private int _epoch, _totalEpochs;

    public static Progress Create(IAnsiConsole console) => console.Progress()
        .AutoClear(true)
        .HideCompleted(true)
        .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 24 }, new PercentageColumn(), new RemainingTimeColumn());

    public void EpochStarted(int epoch, int totalEpochs, int batchCount, int startBatch)
    {
        (_epoch, _totalEpochs) = (epoch, totalEpochs);
        _task = context.AddTask(Markup.Escape($"epoch {epoch}/{totalEpochs}"), autoStart: true, maxValue: batchCount);
        _task.Value = startBatch;
    }

    public void StepCompleted(int batchesDone, RunningLoss running)
    {
        if (_task is null)
        {
            return;
        }
        _task.Value = batchesDone;
        _task.Description = Markup.Escape(ProgressText.Compact(_epoch, _totalEpochs, running, device));
    }

    public void Evaluating()
    {
        if (_task is not null)
        {
            _task.Description = Markup.Escape($"epoch {_epoch}/{_totalEpochs}  evaluating on the test set...");
        }
    }

    public void EpochCompleted(EpochMetrics metrics, int totalEpochs)
    {
        if (_task is null)
        {
            return;
        }
        _task.Value = _task.MaxValue;
        _task.StopTask();
        _task = null;
        console.WriteLine(ProgressText.Summary(metrics, totalEpochs));
    }
}
