// Progress while a long scoring pass runs (evaluate --iw-samples, the anomaly demo): a Spectre.Console bar with the
// remaining time when the output is a terminal, otherwise a plain line at most every 10 seconds and one at the end.
// It deliberately does not decide what is scored: the caller's work gets a callback taking the count done so far.
using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace VaeOnnx.Trainer.Scoring;

public static class ScoringProgress
{
    public static T Run<T>(IAnsiConsole? console, TextWriter output, string description, int total, Func<Action<int>, T> work)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(work);
        var clock = Stopwatch.StartNew();
        T result;
        if (console is not null)
        {
            T? value = default;
            console.Progress()
                .AutoClear(true)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 24 }, new PercentageColumn(),
                    new RemainingTimeColumn())
                .Start(context =>
                {
                    var task = context.AddTask(Markup.Escape(description), autoStart: true, maxValue: Math.Max(1, total));
                    value = work(done => task.Value = done);
                });
            result = value!;
        }
        else
        {
            var sinceLine = Stopwatch.StartNew();
            result = work(done =>
            {
                if (sinceLine.Elapsed >= TimeSpan.FromSeconds(10) && done < total)
                {
                    output.WriteLine(Line(description, done, total, clock.Elapsed));
                    output.Flush();
                    sinceLine.Restart();
                }
            });
        }
        output.WriteLine(Line(description, total, total, clock.Elapsed));
        return result;
    }

    private static string Line(string description, int done, int total, TimeSpan elapsed) => string.Create(CultureInfo.InvariantCulture,
        $"{description}: {done}/{total} images, {elapsed.TotalSeconds:F1} s ({done / Math.Max(1e-9, elapsed.TotalSeconds):F1} images/s)");
}
