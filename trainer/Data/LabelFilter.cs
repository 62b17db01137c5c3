// The --digits / --labels option: which label indices to keep, written as "0-8", "1,3,7" or "0-3,5".
// Used to train on some classes only (e.g. all digits but 9 for anomaly detection). The filter applies to the
// training and the test split alike, so the test loss measures the same distribution as the training.
using VaeOnnx.Runtime.Core.Text;

namespace VaeOnnx.Trainer.Data;

public sealed class LabelFilter
{
    private readonly SortedSet<int> _labels;

    private LabelFilter(SortedSet<int> labels, string text)
    {
        _labels = labels;
        Text = text;
    }

    public string Text { get; }

    public IReadOnlyCollection<int> Labels => _labels;

    public bool Keeps(int label) => _labels.Contains(label);

    public static LabelFilter Parse(string text)
    {
        var labels = new SortedSet<int>();
        foreach (string rawPart in text.Split(',', StringSplitOptions.TrimEntries))
        {
            string[] bounds = rawPart.Split('-', StringSplitOptions.TrimEntries);
            if (bounds.Length is < 1 or > 2 || !int.TryParse(bounds[0], out int low) || low < 0)
            {
                throw Invalid(text, rawPart);
            }
            int high = low;
            if (bounds.Length == 2 && (!int.TryParse(bounds[1], out high) || high < low))
            {
                throw Invalid(text, rawPart);
            }
            for (int label = low; label <= high; label++)
            {
                labels.Add(label);
            }
        }
        return new LabelFilter(labels, text);
    }

    public DatasetSplits Apply(DatasetSplits splits)
    {
        foreach (int label in _labels)
        {
            if (label >= splits.Train.LabelNames.Count)
            {
                throw new DatasetException(
                    $"Label {label} in \"{Text}\" does not exist: {splits.Name} has labels 0-{splits.Train.LabelNames.Count - 1}.");
            }
        }
        string suffix = $"[labels {Text}]";
        ImageDataset train = splits.Train.Where(Keeps, suffix);
        ImageDataset test = splits.Test.Where(Keeps, suffix);
        return splits with { Train = train, Test = test };
    }

    private static FormatException Invalid(string text, string part) =>
        new($"Invalid label list \"{UserText.Echo(text)}\" (at \"{UserText.Echo(part)}\"): write label indices and ranges such as 0-8 or 1,3,5-7.");
}
