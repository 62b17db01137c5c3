// Area under the ROC curve of an anomaly score: the probability that a randomly chosen anomalous item scores higher
// than a randomly chosen normal one, ties counting one half (the Mann-Whitney U statistic divided by n_a n_n):
//   AUROC = (R_a - n_a (n_a + 1) / 2) / (n_a n_n),   R_a = sum of the anomalies' ranks among all scores, tied scores
//   sharing the mean of their ranks (midranks).
// 1 = every anomaly above every normal item, 0 = the reverse, 0.5 = no separation (or all tied). O(n log n).
// It deliberately computes no curve points or thresholds.
namespace VaeOnnx.Trainer.Anomaly;

public static class Auroc
{
    public static double Of(IReadOnlyCollection<double> normalScores, IReadOnlyCollection<double> anomalyScores)
    {
        ArgumentNullException.ThrowIfNull(normalScores);
        ArgumentNullException.ThrowIfNull(anomalyScores);
        if (normalScores.Count == 0 || anomalyScores.Count == 0)
        {
            throw new ArgumentException(
                $"AUROC needs at least one normal and one anomalous score; got {normalScores.Count} normal and {anomalyScores.Count} anomalous.");
        }
        var all = new (double Score, bool Anomaly)[normalScores.Count + anomalyScores.Count];
        int k = 0;
        foreach (double s in normalScores)
        {
            all[k++] = (CheckFinite(s), false);
        }
        foreach (double s in anomalyScores)
        {
            all[k++] = (CheckFinite(s), true);
        }
        Array.Sort(all, (a, b) => a.Score.CompareTo(b.Score));

        double anomalyRankSum = 0;
        for (int start = 0; start < all.Length;)
        {
            int end = start;
            while (end + 1 < all.Length && all[end + 1].Score == all[start].Score)
            {
                end++;
            }
            double midrank = (start + end) / 2.0 + 1; // ranks are 1-based
            for (int i = start; i <= end; i++)
            {
                if (all[i].Anomaly)
                {
                    anomalyRankSum += midrank;
                }
            }
            start = end + 1;
        }
        double na = anomalyScores.Count, nn = normalScores.Count;
        return (anomalyRankSum - na * (na + 1) / 2) / (na * nn);
    }

    private static double CheckFinite(double score) => double.IsFinite(score)
        ? score
        : throw new ArgumentException($"A score is {score}; AUROC needs finite scores.");
}
