// Progress on a terminal through Spectre.Console: one bar per epoch whose label shows the running loss, its
// reconstruction/KL split and images per second; a finished epoch's bar keeps its summary. Used inside
// Progress.Start, which owns the screen meanwhile: notes are held back and printed by the caller afterwards.
using Spectre.Console;

namespace VaeOnnx.Trainer.Training;

public sealed class LiveProgress(ProgressContext context) : ITrainingProgress
{
    private ProgressTask? _task;
    private int _epoch, _totalEpochs;

    public static Progress Create(IAnsiConsole console) => console.Progress()
        .AutoClear(false)
        .HideCompleted(false)
        .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn());

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
        _task.Description = Markup.Escape(ProgressText.Running(_epoch, _totalEpochs, running));
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
        _task.Description = Markup.Escape(ProgressText.Summary(metrics, totalEpochs));
        _task.Value = _task.MaxValue;
        _task.StopTask();
        _task = null;
    }

    public List<string> HeldNotes { get; } = [];

    public void Note(string line) => HeldNotes.Add(line);
}
