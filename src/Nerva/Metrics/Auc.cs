namespace Nerva.Metrics;

/// <summary>
/// Area under the ROC curve for binary targets, exact: the scores seen are kept and ranked at
/// Result (Mann–Whitney U with ties counted half), as scikit-learn's roc_auc_score.
/// </summary>
public sealed class Auc : Metric
{
    private readonly List<(float Score, bool Positive)> seen = [];

    /// <inheritdoc/>
    public override string Name => "auc";

    /// <inheritdoc/>
    public override void Update(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null)
    {
        var labels = yTrue.ToArray();
        // Two-column scores: the positive class's column.
        var scores = yPred.Rank >= 2 && yPred.Dims[^1] == 2 ? yPred.Narrow(-1, 1, 1).ToArray() : yPred.ToArray();
        if (labels.Length != scores.Length) throw ShapeUtil.Error(Name, $"{scores.Length} binary targets", ShapeUtil.Format(yTrue.Dims));
        for (int i = 0; i < labels.Length; i++) seen.Add((scores[i], labels[i] > 0.5f));
    }

    /// <inheritdoc/>
    public override float Result()
    {
        long positives = seen.Count(s => s.Positive), negatives = seen.Count - positives;
        if (positives == 0 || negatives == 0) return 0f;
        var sorted = seen.OrderBy(s => s.Score).ToList();
        double rankSum = 0;
        for (int i = 0; i < sorted.Count;)
        {
            int j = i;
            while (j < sorted.Count && sorted[j].Score == sorted[i].Score) j++;
            double averageRank = (i + 1 + j) / 2.0; // ranks i+1..j share their mean
            for (int k = i; k < j; k++) if (sorted[k].Positive) rankSum += averageRank;
            i = j;
        }
        return (float)((rankSum - positives * (positives + 1) / 2.0) / (positives * (double)negatives));
    }

    /// <inheritdoc/>
    public override void Reset() => seen.Clear();
}
